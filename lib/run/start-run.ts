import { z } from "zod";
import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { cutoverGate } from "@/lib/cutover/gate";
import { cutoverMoveForRun, type CutoverStatus } from "@/lib/cutover/state-machine";
import { transitionCutover } from "@/lib/cutover/transition-cutover";
import { DomainError, notFound } from "@/lib/errors";
import type { CutoverRun, Prisma } from "@/lib/generated/prisma/client";
import { validate } from "@/lib/validate";
import { RUNS_CHANNEL } from "./channels";
import { planSnapshotOf } from "./plan-snapshot-of";
import { RUN_KINDS, type RunKind } from "./state-machine";

export const StartRunInput = z.object({
  cutoverId: z.string().uuid("must be a cutover id"),
  kind: z.enum(RUN_KINDS, { message: "must be preflight, rehearsal or live" }),
});
export type StartRunInput = z.input<typeof StartRunInput>;

/**
 * Queues a run of the cutover's current plan, frozen into the run. A live run needs the gate to
 * hold; a rehearsal needs a scratch target; a preflight only checks, any time before the window.
 * The worker is woken by NOTIFY (and finds it anyway).
 */
export async function startRun({ ctx, input }: { ctx: Ctx; input: StartRunInput }) {
  authorize(ctx, "run.start");
  const data = validate(StartRunInput, input);
  return inTransaction(ctx, async (tx) => {
    const cutover = await tx.cutover.findUnique({
      where: { id: data.cutoverId },
      include: { herokuApp: true, steps: true, signOffs: true },
    });
    if (!cutover) throw notFound("cutover");
    if (cutover.status === "archived") throw new DomainError("conflict", "the cutover is archived");
    const snapshot = planSnapshotOf(cutover);
    if (!snapshot.targetDatabaseSecretId) throw new DomainError("precondition_failed", "set the target database URL before running the plan");
    if (data.kind === "rehearsal" && !snapshot.rehearsalDatabaseSecretId) {
      throw new DomainError("precondition_failed", "set a scratch target database for rehearsals before starting one");
    }
    if (data.kind === "live") assertGate(ctx, cutover);
    const run = await createRun(tx, cutover.id, data.kind, snapshot, ctx.actor.type === "user" ? ctx.actor.id : null);
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "run.create",
      entityType: "cutover_run",
      entityId: run.id,
      after: { cutoverId: cutover.id, kind: run.kind, planHash: run.planHash, status: run.status },
      at: ctx.now(),
    });
    await lockPlan({ ...ctx, tx }, cutover, run);
    await tx.$executeRaw`SELECT pg_notify(${RUNS_CHANNEL}, ${run.id})`;
    return run;
  });
}

// A live run locks the plan (draft or done → live). A cutover still live from an earlier run that
// changed the app (and was not rolled back) stays live, as before.
async function lockPlan(ctx: Ctx, cutover: { id: string; status: string }, run: CutoverRun) {
  const move = cutoverMoveForRun({ runKind: run.kind, runTo: "queued", touchedApp: false });
  const from = cutover.status as CutoverStatus;
  if (!move || !move.from.includes(from)) return;
  await transitionCutover({ ctx, input: { cutoverId: cutover.id, from, to: move.to, reason: "live run started", runId: run.id } });
}

function assertGate(ctx: Ctx, cutover: Parameters<typeof cutoverGate>[0]) {
  const gate = cutoverGate(cutover, ctx.now(), ctx.actor.type === "user" ? ctx.actor.id : null);
  if (!gate.ok) throw new DomainError("precondition_failed", `the cutover cannot start: ${gate.reasons.join("; ")}`);
}

async function createRun(tx: Prisma.TransactionClient, cutoverId: string, kind: RunKind, snapshot: object, startedById: string | null) {
  const active = await tx.cutoverRun.findFirst({ where: { cutoverId, status: { in: ["queued", "running", "cancelling", "rolling_back"] } } });
  if (active) throw new DomainError("conflict", `run ${active.id} of this cutover is still ${active.status}`);
  return tx.cutoverRun.create({
    data: { cutoverId, kind, planSnapshot: snapshot as Prisma.InputJsonValue, planHash: (snapshot as { planHash: string }).planHash, startedById },
  });
}
