import { actorLabel, inTransaction, type Ctx } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { emitAudit } from "@/lib/audit/emit";
import { DomainError, notFound } from "@/lib/errors";
import { canMoveCutover, type CutoverStatus } from "./state-machine";

export interface TransitionCutoverInput {
  cutoverId: string;
  from: CutoverStatus;
  to: CutoverStatus;
  reason: string;
  /** The run whose transition causes this one, if any. */
  runId?: string;
}

/**
 * Moves a cutover from one status to another by compare-and-set: it succeeds only if the
 * cutover is still in `from`. The transition row and the audit event commit in the same transaction.
 */
export async function transitionCutover({ ctx, input }: { ctx: Ctx; input: TransitionCutoverInput }) {
  const { cutoverId, from, to, reason } = input;
  const runId = input.runId ?? null;
  if (!canMoveCutover(from, to)) {
    throw new DomainError("conflict", `a cutover cannot move from ${from} to ${to}`);
  }
  return inTransaction(ctx, async (tx) => {
    const now = ctx.now();
    // The plan's version is not bumped: it counts edits, which sign-offs refer to.
    const { count } = await tx.cutover.updateMany({ where: { id: cutoverId, status: from }, data: { status: to } });
    if (count === 0) await explainMiss(tx, cutoverId, from);
    await tx.cutoverTransition.create({
      data: { cutoverId, runId, fromStatus: from, toStatus: to, reason, actor: actorLabel(ctx.actor), createdAt: now },
    });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "cutover.transition",
      entityType: "cutover",
      entityId: cutoverId,
      before: { status: from },
      after: { status: to },
      metadata: { reason, runId },
      at: now,
    });
    return tx.cutover.findUniqueOrThrow({ where: { id: cutoverId } });
  });
}

async function explainMiss(tx: Tx, cutoverId: string, from: CutoverStatus): Promise<never> {
  const current = await tx.cutover.findUnique({ where: { id: cutoverId }, select: { status: true } });
  if (!current) throw notFound(`cutover ${cutoverId}`);
  throw new DomainError("conflict", `the cutover is ${current.status}, not ${from}; reload and try again`);
}
