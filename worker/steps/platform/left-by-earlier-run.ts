import type { StepContext } from "../types";

/**
 * What an earlier live run of this plan remembered in `stepKey` (the formation, whether
 * maintenance was on), when that run was left failed or cancelled without a rollback: a retry
 * then finds maintenance already on and the workers already at 0, and must restore what the app
 * had before the first attempt, not that. The newest earlier run that got through the step decides.
 */
export async function rememberedByEarlierRun<T>(ctx: StepContext, stepKey: string): Promise<T | null> {
  if (ctx.kind !== "live") return null;
  const self = await ctx.db.cutoverRun.findUniqueOrThrow({ where: { id: ctx.runId }, select: { createdAt: true } });
  const step = await ctx.db.stepRun.findFirst({
    where: { stepKey, phase: "forward", status: "succeeded", run: { cutoverId: ctx.plan.cutoverId, kind: "live", id: { not: ctx.runId }, createdAt: { lt: self.createdAt } } },
    orderBy: { run: { createdAt: "desc" } },
    include: { run: { select: { status: true } } },
  });
  if (!step || !["failed", "cancelled"].includes(step.run.status)) return null;
  return (step.output as T | null) ?? null;
}
