// The downtime a live run should cause, step by step, made at preflight and shown beside the
// measured downtime report. Each kind estimates itself (lib/steps); copy comes from a
// rehearsal's measured rate when there is one.
import { isStepKind, stepKind } from "@/lib/steps/catalog";
import { maintenanceKind } from "@/lib/steps/kinds/maintenance";
import type { PlanStepSpec } from "@/lib/steps/plan-step";

export type EstimateBasis = "rehearsal" | "rule_of_thumb";

export interface DowntimeEstimate {
  totalMs: number;
  /** Where the copy figure came from; the other steps are rules of thumb for the platform's API. */
  basis: EstimateBasis;
  steps: Array<{ key: string; ms: number }>;
}

/** The maintenance-page time of the plan: its steps from maintenance on to maintenance off, in order. */
export function estimateDowntime(input: { steps: PlanStepSpec[]; copyMs: number; basis: EstimateBasis }): DowntimeEstimate {
  const steps = maintenanceSpan(input.steps).map((s) => {
    const spec = stepKind(s.kind);
    return { key: s.key, ms: Math.round(spec.estimateMs(spec.params.parse(s.params), { copyMs: input.copyMs })) };
  });
  return { totalMs: steps.reduce((n, s) => n + s.ms, 0), basis: input.basis, steps };
}

const isMaintenance = (s: PlanStepSpec, on: boolean) => s.kind === maintenanceKind.kind && s.params.on === on;

/** The steps customers wait through: the first maintenance on up to the next maintenance off. */
export function maintenanceSpan(steps: PlanStepSpec[]): PlanStepSpec[] {
  const start = steps.findIndex((s) => isMaintenance(s, true));
  if (start < 0) return [];
  const end = steps.findIndex((s, i) => i > start && isMaintenance(s, false));
  return steps.slice(start, end < 0 ? steps.length : end + 1).filter((s) => isStepKind(s.kind));
}
