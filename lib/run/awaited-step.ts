import { isStepKind, stepKind } from "@/lib/steps/catalog";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import type { AwaitsPerson } from "@/lib/steps/types";

/** What a plan step that pauses for a person asks, or null for a step that does not. */
export function awaitedStep(step: PlanStepSpec): AwaitsPerson | null {
  if (!isStepKind(step.kind)) return null;
  const spec = stepKind(step.kind);
  if (!spec.awaitsPerson) return null;
  const params = spec.params.safeParse(step.params);
  if (!params.success) return null;
  return spec.awaitsPerson(params.data);
}
