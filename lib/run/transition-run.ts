import { actorLabel, inTransaction, type Ctx } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { emitAudit } from "@/lib/audit/emit";
import { STATUS_CHANNEL } from "./channels";
import { DomainError, notFound } from "@/lib/errors";
import { canMoveRun, isTerminal, type RunStatus } from "./state-machine";

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
 * still in `from`. The transition row and the audit event commit in the same transaction.
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
    return tx.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
  });
}

async function explainMiss(tx: Tx, runId: string, from: RunStatus): Promise<never> {
  const current = await tx.cutoverRun.findUnique({ where: { id: runId }, select: { status: true } });
  if (!current) throw notFound(`run ${runId}`);
  throw new DomainError("conflict", `the run is ${current.status}, not ${from}; reload and try again`);
}
