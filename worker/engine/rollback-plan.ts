import { ROLLBACK_KEYS } from "@/lib/steps/core-plan";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import { maintenanceWasOnBefore } from "@/lib/run/rollback-actions";
import type { StepRun } from "@/lib/generated/prisma/client";
import { maintenanceStep } from "../steps/platform/maintenance";
import { executorFor } from "../steps/catalog";
import { runSmokeChecks } from "../steps/smoke/record";
import type { StepContext } from "../steps/types";

export interface RollbackAction {
  key: string;
  title: string;
  /** The forward step this action undoes; absent for the frame (maintenance, smoke). */
  undoes?: string;
  run(ctx: StepContext): Promise<{ output: Record<string, unknown> }>;
}

const started = (attempts: StepRun[]) => attempts.some((a) => a.status !== "pending" && a.status !== "skipped");

/**
 * Maintenance on; undo every started forward step whose kind the catalog says is undone, newest
 * first (the switch by promoting the source, the write freeze by making the source writable, the
 * scale-down by restoring the formation); maintenance off unless it was on before; smoke again.
 */
export function rollbackPlan(steps: PlanStepSpec[], forward: StepRun[]): RollbackAction[] {
  const byKey = (key: string) => forward.filter((s) => s.stepKey === key);
  const undo: RollbackAction[] = [...steps]
    .reverse()
    .filter((spec) => started(byKey(spec.key)) && executorFor(spec.kind).spec.rollback.kind === "undo")
    .map((spec) => {
      const executor = executorFor(spec.kind);
      const output = (byKey(spec.key).find((a) => a.status === "succeeded")?.output ?? {}) as Record<string, unknown>;
      const params = executor.spec.params.parse(spec.params);
      return { key: ROLLBACK_KEYS.undo(spec.key), title: `undo ${spec.key}`, undoes: spec.key, run: async (ctx) => (await executor.rollback!(ctx, params, output), { output: {} }) };
    });
  const wasOn = maintenanceWasOnBefore(steps, forward);
  return [
    { key: ROLLBACK_KEYS.maintenanceOn, title: "maintenance on while rolling back", run: (ctx) => maintenanceStep.run(ctx, { on: true }) },
    ...undo,
    ...(wasOn ? [] : [{ key: ROLLBACK_KEYS.maintenanceOff, title: "maintenance off", run: (ctx: StepContext) => maintenanceStep.run(ctx, { on: false }) }]),
    { key: ROLLBACK_KEYS.smoke, title: "smoke checks after the rollback", run: async (ctx) => ({ output: { results: (await runSmokeChecks(ctx, "after_rollback")).map((o) => ({ url: o.url, ok: o.ok })) } }) },
  ];
}
