import { isStepKind, stepKind } from "@/lib/steps/catalog";
import { maintenanceKind } from "@/lib/steps/kinds/maintenance";
import type { PlanStepSpec } from "@/lib/steps/plan-step";

const started = (status: string) => status !== "pending" && status !== "skipped";

/** The rollback of a run, step by step in plain words, in the order the worker will do them. */
export function rollbackActions(steps: PlanStepSpec[], forward: Array<{ stepKey: string; status: string; output: unknown }>): string[] {
  const wasStarted = (key: string) => forward.some((s) => s.stepKey === key && started(s.status));
  const undo = [...steps]
    .reverse()
    .filter((s) => wasStarted(s.key) && isStepKind(s.kind))
    .map((s) => stepKind(s.kind).rollback)
    .flatMap((role) => (role.kind === "undo" ? [role.says] : []));
  return [
    "Turn maintenance mode on (customers see the maintenance page)",
    ...undo,
    ...(maintenanceWasOnBefore(steps, forward) ? ["Leave maintenance mode on, as it was before the cutover"] : ["Turn maintenance mode off"]),
    "Check every smoke URL again and compare with the baseline",
  ];
}

/** Whether the step that turned maintenance on found it already on (then the rollback leaves it on). */
export function maintenanceWasOnBefore(steps: PlanStepSpec[], forward: Array<{ stepKey: string; status: string; output: unknown }>): boolean {
  const onKeys = steps.filter((s) => s.kind === maintenanceKind.kind && s.params.on === true).map((s) => s.key);
  return forward.some((s) => onKeys.includes(s.stepKey) && s.status === "succeeded" && (s.output as { wasOn?: boolean } | null)?.wasOn === true);
}
