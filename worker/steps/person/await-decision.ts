import { setTimeout as sleep } from "node:timers/promises";
import type { AwaitsPerson } from "@/lib/steps/types";
import { permanent } from "../step-error";
import type { StepContext, StepOutcome } from "../types";

const POLL_MS = 1_000;

/**
 * Waits for a person's decision on this attempt (lib/run/decide-step.ts writes it). The database
 * is read every second; a cancel or rollback request stops the wait through the signal.
 */
export async function awaitDecision(ctx: StepContext, asks: AwaitsPerson): Promise<StepOutcome> {
  const stepRunId = ctx.step?.stepRunId;
  if (!stepRunId) throw new Error("a step that waits for a person needs its attempt's id");
  const who = asks.notTheOperator ? `an ${asks.role} other than the run's operator` : `a person with the ${asks.role} role`;
  const choices = asks.decisions.map((d) => d.label.toLowerCase()).join(", ");
  ctx.log.info(`waiting for ${who}: ${asks.title} (${choices})${asks.timeoutMinutes ? `; fails after ${asks.timeoutMinutes} min without a decision` : ""}`);
  const deadline = asks.timeoutMinutes ? Date.now() + asks.timeoutMinutes * 60_000 : Number.POSITIVE_INFINITY;
  for (;;) {
    const decision = await ctx.db.stepDecision.findUnique({ where: { stepRunId } });
    if (decision) {
      const choice = asks.decisions.find((d) => d.id === decision.decision);
      const said = `${decision.decision} by ${decision.actor}${decision.reason ? `: ${decision.reason}` : ""}`;
      if (!choice || choice.fails) throw permanent(`${asks.title}: ${said}`);
      ctx.log.info(`${asks.title}: ${said}`);
      return { output: { decision: decision.decision, by: decision.actor, reason: decision.reason, decidedAt: decision.createdAt.toISOString() } };
    }
    if (Date.now() >= deadline) throw permanent(`${asks.title}: nobody decided within ${asks.timeoutMinutes} min`);
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal: ctx.signal });
  }
}
