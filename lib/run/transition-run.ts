import { actorLabel, inTransaction, type Ctx } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { emitAudit } from "@/lib/audit/emit";
import { cutoverMoveForRun, needsTouchedApp, type CutoverStatus } from "@/lib/cutover/state-machine";
import { transitionCutover } from "@/lib/cutover/transition-cutover";
import { STATUS_CHANNEL } from "./channels";
import { DomainError, notFound } from "@/lib/errors";
import { enqueueNotifications } from "@/lib/notify/enqueue";
import { canMoveRun, isTerminal, type RunKind, type RunStatus } from "./state-machine";
import { touchedApp } from "./touched-app";

export interface TransitionRunInput {
  runId: string;
  from: RunStatus;
  to: RunStatus;
  reason: string;
  /** Extra columns changed together with the status. */
  patch?: { claimedBy?: string | null; error?: string | null };
}

/**
 * Moves a run from one status to another by compare-and-set: it succeeds only if the run is
 * still in `from`. The transition row and the audit event commit in the same transaction, and
 * so does the cutover's own move a live run's transition causes (e.g. done when it succeeds).
 */
export async function transitionRun({ ctx, input }: { ctx: Ctx; input: TransitionRunInput }) {
  const { runId, from, to, reason } = input;
  if (!canMoveRun(from, to)) {
    throw new DomainError("conflict", `a run cannot move from ${from} to ${to}`);
  }
  return inTransaction(ctx, async (tx) => {
    const now = ctx.now();
    const { count } = await tx.cutoverRun.updateMany({
      where: { id: runId, status: from },
      data: {
        status: to,
        version: { increment: 1 },
        ...input.patch,
        ...(to === "running" && from === "queued" ? { startedAt: now } : {}),
        ...(isTerminal(to) ? { finishedAt: now } : { finishedAt: null }),
      },
    });
    if (count === 0) await explainMiss(tx, runId, from);
    await tx.runTransition.create({
      data: { runId, fromStatus: from, toStatus: to, reason, actor: actorLabel(ctx.actor), createdAt: now },
    });
    // Delivered on commit: live viewers refresh the run.
    await tx.$executeRaw`SELECT pg_notify(${STATUS_CHANNEL}, ${runId})`;
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "run.transition",
      entityType: "cutover_run",
      entityId: runId,
      before: { status: from },
      after: { status: to },
      metadata: { reason },
      at: now,
    });
    const run = await tx.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
    await moveCutover({ ...ctx, tx }, { runId, kind: run.kind, cutoverId: run.cutoverId }, to, reason);
    await enqueueNotifications(tx, { cause: "run", run, from, reason, at: now });
    return run;
  });
}

/** Moves the run's cutover as the state machine says this run transition causes, if at all. */
async function moveCutover(ctx: Ctx & { tx: Tx }, run: { runId: string; kind: RunKind; cutoverId: string }, to: RunStatus, reason: string) {
  const touched = needsTouchedApp(run.kind, to) ? await touchedApp(ctx.tx, run.runId) : false;
  const move = cutoverMoveForRun({ runKind: run.kind, runTo: to, touchedApp: touched });
  if (!move) return;
  const cutover = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: run.cutoverId }, select: { status: true } });
  const from = cutover.status as CutoverStatus;
  // Already moved (e.g. draft again after an earlier release) or archived: nothing to do.
  if (!move.from.includes(from)) return;
  const why = `live run ${to.replace(/_/g, " ")}${reason ? `: ${reason}` : ""}`;
  await transitionCutover({ ctx, input: { cutoverId: run.cutoverId, from, to: move.to, reason: why, runId: run.runId } });
}

async function explainMiss(tx: Tx, runId: string, from: RunStatus): Promise<never> {
  const current = await tx.cutoverRun.findUnique({ where: { id: runId }, select: { status: true } });
  if (!current) throw notFound(`run ${runId}`);
  throw new DomainError("conflict", `the run is ${current.status}, not ${from}; reload and try again`);
}
