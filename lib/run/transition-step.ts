import { actorLabel, inTransaction, type Ctx } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { emitAudit } from "@/lib/audit/emit";
import { STATUS_CHANNEL } from "./channels";
import { DomainError, notFound } from "@/lib/errors";
import { enqueueNotifications } from "@/lib/notify/enqueue";
import type { Prisma } from "@/lib/generated/prisma/client";
import { canMoveStep, isStepFinished, type StepStatus } from "./state-machine";

export interface TransitionStepInput {
  stepRunId: string;
  from: StepStatus;
  to: StepStatus;
  reason?: string;
  output?: Prisma.InputJsonValue;
  error?: string;
}

/** Compare-and-set on one step attempt, with its transition row and audit event in one transaction. */
export async function transitionStep({ ctx, input }: { ctx: Ctx; input: TransitionStepInput }) {
  const { stepRunId, from, to } = input;
  if (!canMoveStep(from, to)) throw new DomainError("conflict", `a step cannot move from ${from} to ${to}`);
  return inTransaction(ctx, async (tx) => {
    const now = ctx.now();
    const { count } = await tx.stepRun.updateMany({
      where: { id: stepRunId, status: from },
      data: {
        status: to,
        version: { increment: 1 },
        ...(to === "running" ? { startedAt: now, heartbeatAt: now } : {}),
        ...(isStepFinished(to) ? { finishedAt: now } : {}),
        ...(input.output === undefined ? {} : { output: input.output }),
        ...(input.error === undefined ? {} : { error: input.error }),
      },
    });
    if (count === 0) await explainMiss(tx, stepRunId, from);
    const step = await tx.stepRun.findUniqueOrThrow({ where: { id: stepRunId } });
    await tx.runTransition.create({
      data: {
        runId: step.runId,
        stepRunId,
        fromStatus: from,
        toStatus: to,
        reason: input.reason ?? "",
        actor: actorLabel(ctx.actor),
        createdAt: now,
      },
    });
    // Delivered on commit: live viewers refresh the run.
    await tx.$executeRaw`SELECT pg_notify(${STATUS_CHANNEL}, ${step.runId})`;
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "step.transition",
      entityType: "step_run",
      entityId: stepRunId,
      before: { status: from },
      after: { status: to, error: input.error },
      metadata: { runId: step.runId, stepKey: step.stepKey, phase: step.phase, attempt: step.attempt },
      at: now,
    });
    await enqueueNotifications(tx, { cause: "step", step, at: now });
    return step;
  });
}

async function explainMiss(tx: Tx, stepRunId: string, from: StepStatus): Promise<never> {
  const current = await tx.stepRun.findUnique({ where: { id: stepRunId }, select: { status: true } });
  if (!current) throw notFound(`step run ${stepRunId}`);
  throw new DomainError("conflict", `the step is ${current.status}, not ${from}`);
}
