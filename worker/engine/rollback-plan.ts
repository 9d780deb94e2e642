import type { PlanStepSpec } from "@/lib/cutover/default-plan";
import type { StepRun } from "@/lib/generated/prisma/client";
import { maintenanceStep } from "../steps/heroku/maintenance";
import { stepDefinition } from "../steps/catalog";
import { runSmokeChecks } from "../steps/smoke/record";
import type { StepContext } from "../steps/types";

export interface RollbackAction {
  key: string;
  title: string;
  run(ctx: StepContext): Promise<{ output: Record<string, unknown> }>;
}

const started = (attempts: StepRun[]) => attempts.some((a) => a.status !== "pending" && a.status !== "skipped");

/**
 * Maintenance on; undo every started forward step that has an undo, newest first (the switch is
 * undone by promoting the source, the write freeze by making the source writable, the scale-down
 * by restoring the formation); maintenance off; smoke again.
 */
export function rollbackPlan(steps: PlanStepSpec[], forward: StepRun[]): RollbackAction[] {
  const byKey = (key: string) => forward.filter((s) => s.stepKey === key);
  const undo: RollbackAction[] = [...steps]
    .reverse()
    .filter((spec) => spec.kind !== "heroku.maintenance" && started(byKey(spec.key)) && stepDefinition(spec.kind).rollback)
    .map((spec) => {
      const def = stepDefinition(spec.kind);
      const output = (byKey(spec.key).find((a) => a.status === "succeeded")?.output ?? {}) as Record<string, unknown>;
      return { key: `undo_${spec.key}`, title: `undo ${spec.key}`, run: async (ctx) => (await def.rollback!(ctx, def.params.parse(spec.params), output), { output: {} }) };
    });
  const wasOn = (byKey("maintenance_on").find((a) => a.status === "succeeded")?.output as { wasOn?: boolean } | undefined)?.wasOn ?? false;
  return [
    { key: "rollback_maintenance_on", title: "maintenance on while rolling back", run: (ctx) => maintenanceStep.run(ctx, { on: true }) },
    ...undo,
    ...(wasOn ? [] : [{ key: "rollback_maintenance_off", title: "maintenance off", run: (ctx: StepContext) => maintenanceStep.run(ctx, { on: false }) }]),
    { key: "rollback_smoke", title: "smoke checks after the rollback", run: async (ctx) => ({ output: { results: (await runSmokeChecks(ctx, "after_rollback")).map((o) => ({ url: o.url, ok: o.ok })) } }) },
  ];
}
