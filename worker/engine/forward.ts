import type { StepRun } from "@/lib/generated/prisma/client";
import { mustRunStep, type StepStatus } from "@/lib/run/state-machine";
import { transitionStep } from "@/lib/run/transition-step";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import { stepApplies } from "@/lib/steps/catalog";
import { executorFor } from "../steps/catalog";
import { applyStopRequests } from "./control";
import { runStep, type RunScope, type StepResult } from "./run-step";
import { workerCtx } from "./worker-ctx";

export type ForwardEnd = { kind: "done"; attention: string | null } | { kind: "failed"; error: string } | { kind: "stopped" };

/**
 * Walks the plan's steps in order. A succeeded step is never executed again: its stored output is
 * reused. A step left running by a dead worker is marked abandoned first; a non-idempotent one
 * prepares a clean restart (the copy empties the target).
 */
export async function runForward(scope: RunScope, steps: PlanStepSpec[]): Promise<ForwardEnd> {
  let attention: string | null = null;
  for (const spec of steps) {
    const def = executorFor(spec.kind);
    const attempts = await scope.deps.db.stepRun.findMany({ where: { runId: scope.ctx.runId, stepKey: spec.key, phase: "forward" }, orderBy: { attempt: "asc" } });
    const latest = attempts.at(-1);
    if (latest && !mustRunStep(latest.status as StepStatus)) {
      if (latest.output) scope.ctx.outputs[spec.key] = latest.output;
      continue;
    }
    // Read the database itself at the boundary: a request that arrived after the watcher's last
    // look is still honoured before the next step.
    if (await applyStopRequests(scope.deps, scope.ctx.runId, scope.control)) return { kind: "stopped" };
    const params = def.spec.params.parse(spec.params);
    if (!stepApplies(scope.ctx.kind, spec.kind)) {
      await recordSkipped(scope, spec.key, (latest?.attempt ?? 0) + 1, scope.ctx.kind);
      continue;
    }
    if (latest?.status === "running") {
      // A step that cannot prepare a clean restart fails the run with its reason instead of repeating.
      const refused = await abandon(scope, latest, def.idempotent ? null : () => def.resume?.(scope.ctx, params)).then(
        () => null,
        (err: unknown) => scope.redact((err as Error).message),
      );
      if (refused) return { kind: "failed", error: refused };
    }
    const result: StepResult = await runStep(scope, {
      key: spec.key,
      phase: "forward",
      title: `${spec.key}: ${spec.description}`,
      firstAttempt: (latest?.attempt ?? 0) + 1,
      attempts: def.retry.attempts,
      backoffMs: def.retry.backoffMs,
      timeoutMs: def.timeoutMs,
      stopsOnRequest: def.spec.cancel === "interruptible",
      run: (ctx) => def.run(ctx, params),
    });
    if (result.kind !== "succeeded") return result;
    scope.ctx.outputs[spec.key] = result.output;
    if (result.attention) attention = result.attention;
  }
  return { kind: "done", attention };
}

async function recordSkipped(scope: RunScope, key: string, attempt: number, kind: string) {
  const row = await scope.deps.db.stepRun.create({ data: { runId: scope.ctx.runId, stepKey: key, phase: "forward", attempt } });
  await transitionStep({ ctx: workerCtx(scope.deps), input: { stepRunId: row.id, from: "pending", to: "skipped", reason: `not part of a ${kind}` } });
}

async function abandon(scope: RunScope, step: StepRun, resume: (() => Promise<void> | undefined) | null) {
  await transitionStep({
    ctx: workerCtx(scope.deps),
    input: { stepRunId: step.id, from: "running", to: "abandoned", reason: "the worker running it stopped", error: "the worker running this attempt stopped before it finished" },
  });
  scope.ctx.log.info(`step ${step.stepKey} attempt ${step.attempt} was interrupted when its worker stopped`);
  if (resume) await resume();
}
