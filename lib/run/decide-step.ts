import { z } from "zod";
import { actorLabel, inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { DomainError, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { validate } from "@/lib/validate";
import { awaitedStep } from "./awaited-step";
import { RUNS_CHANNEL } from "./channels";
import type { PlanSnapshot } from "./plan-snapshot";

export const DecideStepInput = z.object({
  runId: z.string().uuid("must be a run id"),
  stepKey: z.string().min(1, "is required").max(63),
  decision: z.string().min(1, "is required").max(40),
  reason: z.string().trim().max(2000, "is too long (2000 characters at most)").default(""),
});
export type DecideStepInput = z.input<typeof DecideStepInput>;

/**
 * A person decides a step the run waits at: marks a manual task done, skipped or failed, or
 * approves or rejects. The worker sees the decision on its next look (NOTIFY only wakes it).
 */
export async function decideStep({ ctx, input }: { ctx: Ctx; input: DecideStepInput }) {
  authorize(ctx, "cutover.read");
  const data = validate(DecideStepInput, input);
  if (ctx.actor.type !== "user") throw new DomainError("forbidden", "only a signed-in person can decide a step");
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    const run = await tx.cutoverRun.findUnique({ where: { id: data.runId } });
    if (!run) throw notFound("run");
    const step = (run.planSnapshot as unknown as PlanSnapshot).steps.find((s) => s.key === data.stepKey);
    const asks = step ? awaitedStep(step) : null;
    if (!step || !asks) throw new DomainError("not_found", `this run has no step ${data.stepKey} that waits for a person`);
    const choice = asks.decisions.find((d) => d.id === data.decision);
    if (!choice) throw new DomainError("invalid_input", "the decision is not one this step offers", [{ path: "decision", message: `must be ${asks.decisions.map((d) => d.id).join(", ")}` }]);
    if (choice.needsReason && !data.reason) throw new DomainError("invalid_input", "say why", [{ path: "reason", message: `is required to ${choice.label.toLowerCase()}` }]);
    if (actor.role !== asks.role && actor.role !== "admin") throw new DomainError("forbidden", `only a person with the ${asks.role} role (or an admin) can decide ${data.stepKey}; you are ${actor.role}`);
    if (asks.notTheOperator && run.startedById === actor.id) throw new DomainError("forbidden", `${data.stepKey} must be decided by someone other than the operator who started the run`);
    const attempt = await tx.stepRun.findFirst({ where: { runId: run.id, stepKey: step.key, phase: "forward" }, orderBy: { attempt: "desc" } });
    if (run.status !== "running" || attempt?.status !== "running") throw new DomainError("conflict", `${data.stepKey} is not waiting for a decision (the run is ${run.status.replace(/_/g, " ")}, the step ${attempt?.status ?? "not started"})`);
    // Held until commit: the worker's own move of this attempt (a time limit) waits for the decision.
    await tx.$queryRaw`SELECT id FROM step_runs WHERE id = ${attempt.id}::uuid FOR UPDATE`;
    try {
      await tx.stepDecision.create({ data: { runId: run.id, stepRunId: attempt.id, stepKey: step.key, decision: choice.id, reason: data.reason, userId: actor.id, actor: actorLabel(actor) } });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new DomainError("conflict", `${data.stepKey} was already decided by someone else`);
      throw err;
    }
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "step.decide",
      entityType: "cutover_run",
      entityId: run.id,
      after: { step: step.key, decision: choice.id },
      metadata: { reason: data.reason, attempt: attempt.attempt },
      at: ctx.now(),
    });
    await tx.$executeRaw`SELECT pg_notify(${RUNS_CHANNEL}, ${run.id})`;
    return { runId: run.id, stepKey: step.key, decision: choice.id };
  });
}
