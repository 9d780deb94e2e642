import { z } from "zod";
import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { DomainError, notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";
import { RUNS_CHANNEL } from "./channels";
import { canRollback, isTerminal, type RunStatus } from "./state-machine";
import { transitionRun } from "./transition-run";
import { touchedApp } from "./touched-app";

export const RequestRollbackInput = z.object({
  runId: z.string().uuid("must be a run id"),
  reason: z.string().trim().max(2000).default(""),
});
export type RequestRollbackInput = z.input<typeof RequestRollbackInput>;

/**
 * Asks for a rollback. A finished run moves to rolling_back at once; a running one is marked
 * and the worker turns around at the next step boundary (a step is never cut off mid-change).
 */
export async function requestRollback({ ctx, input }: { ctx: Ctx; input: RequestRollbackInput }) {
  authorize(ctx, "run.rollback");
  const data = validate(RequestRollbackInput, input);
  return inTransaction(ctx, async (tx) => {
    const run = await tx.cutoverRun.findUnique({ where: { id: data.runId } });
    if (!run) throw notFound("run");
    const status = run.status as RunStatus;
    const facts = { status, kind: run.kind, touchedApp: await touchedApp(tx, run.id) };
    if (!canRollback(facts)) {
      throw new DomainError("conflict", rollbackRefusal(facts));
    }
    await tx.cutoverRun.update({ where: { id: run.id }, data: { rollbackRequestedAt: run.rollbackRequestedAt ?? ctx.now() } });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "run.rollback_request",
      entityType: "cutover_run",
      entityId: run.id,
      before: { status },
      metadata: { reason: data.reason },
      at: ctx.now(),
    });
    const txCtx = { ...ctx, tx };
    const moved = isTerminal(status)
      ? await transitionRun({ ctx: txCtx, input: { runId: run.id, from: status, to: "rolling_back", reason: data.reason || "rollback requested" } })
      : run;
    await tx.$executeRaw`SELECT pg_notify(${RUNS_CHANNEL}, ${run.id})`;
    return moved;
  });
}

function rollbackRefusal(f: { status: RunStatus; kind: string; touchedApp: boolean }): string {
  if (f.kind !== "live") return `a ${f.kind} never changes the app, so there is nothing to roll back`;
  if (!f.touchedApp) return "the run has not changed the app yet; cancel it instead";
  return `a run that is ${f.status.replace(/_/g, " ")} cannot be rolled back`;
}
