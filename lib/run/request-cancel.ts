import { z } from "zod";
import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { DomainError, notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";
import { RUNS_CHANNEL } from "./channels";
import { canCancel, type RunStatus } from "./state-machine";
import { transitionRun } from "./transition-run";

export const RequestCancelInput = z.object({ runId: z.string().uuid("must be a run id"), reason: z.string().trim().max(2000).default("") });
export type RequestCancelInput = z.input<typeof RequestCancelInput>;

/** Cancels a queued run at once; a running one is asked to stop (its child processes are stopped). */
export async function requestCancel({ ctx, input }: { ctx: Ctx; input: RequestCancelInput }) {
  authorize(ctx, "run.cancel");
  const data = validate(RequestCancelInput, input);
  return inTransaction(ctx, async (tx) => {
    const run = await tx.cutoverRun.findUnique({ where: { id: data.runId } });
    if (!run) throw notFound("run");
    const status = run.status as RunStatus;
    if (!canCancel(status)) throw new DomainError("conflict", `a run that is ${status.replace(/_/g, " ")} cannot be cancelled`);
    await tx.cutoverRun.update({ where: { id: run.id }, data: { cancelRequestedAt: ctx.now() } });
    await emitAudit(tx, { actor: ctx.actor, action: "run.cancel_request", entityType: "cutover_run", entityId: run.id, before: { status }, metadata: { reason: data.reason }, at: ctx.now() });
    const txCtx = { ...ctx, tx };
    const to = status === "queued" ? "cancelled" : "cancelling";
    const moved = await transitionRun({ ctx: txCtx, input: { runId: run.id, from: status, to, reason: data.reason || "cancel requested" } });
    // A queued live run never touched the app: transitionRun makes the plan editable again with it.
    await tx.$executeRaw`SELECT pg_notify(${RUNS_CHANNEL}, ${run.id})`;
    return moved;
  });
}
