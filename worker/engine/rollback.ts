import type { PlanStepSpec } from "@/lib/cutover/default-plan";
import { rowWriteCounter } from "../steps/db/write-counter";
import { rollbackPlan } from "./rollback-plan";
import { runStep, type RunScope } from "./run-step";

export type RollbackEnd = { kind: "done" } | { kind: "failed"; error: string } | { kind: "stopped" };

/** Runs the rollback actions; each is a StepRun of phase rollback and, once succeeded, never repeated. */
export async function runRollback(scope: RunScope, steps: PlanStepSpec[]): Promise<RollbackEnd> {
  const { deps, ctx } = scope;
  const all = await deps.db.stepRun.findMany({ where: { runId: ctx.runId }, orderBy: [{ stepKey: "asc" }, { attempt: "asc" }] });
  const forward = all.filter((s) => s.phase === "forward");
  for (const s of forward) if (s.status === "succeeded" && s.output) ctx.outputs[s.stepKey] = s.output;
  await reportStrandedWrites(scope);
  for (const action of rollbackPlan(steps, forward)) {
    const attempts = all.filter((s) => s.phase === "rollback" && s.stepKey === action.key);
    if (attempts.some((a) => a.status === "succeeded")) continue;
    const result = await runStep(scope, {
      key: action.key,
      phase: "rollback",
      title: action.title,
      firstAttempt: (attempts.at(-1)?.attempt ?? 0) + 1,
      attempts: 3,
      backoffMs: 2_000,
      timeoutMs: 600_000,
      run: action.run,
    });
    if (result.kind === "failed") return result;
    if (result.kind === "stopped") return result;
  }
  return { kind: "done" };
}

// Writes customers made on the target after maintenance went off stay there; say how many.
async function reportStrandedWrites(scope: RunScope): Promise<void> {
  const off = scope.ctx.outputs.maintenance_off as { targetRowWrites?: number } | undefined;
  if (off?.targetRowWrites === undefined) return;
  try {
    const changed = (await rowWriteCounter(scope.ctx.secrets.targetUrl)) - off.targetRowWrites;
    scope.ctx.log.info(`${changed} row(s) changed on the target since maintenance went off; they stay on the target and are not copied back`);
  } catch (err) {
    scope.ctx.log.write("stderr", `could not count rows changed on the target: ${(err as Error).message}`);
  }
}
