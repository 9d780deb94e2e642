/** One step of a plan as stored in PlanStep; `kind` names an entry of the step catalog (lib/steps/catalog.ts). */
export interface PlanStepSpec {
  /** Stable across edits and plan versions, so runs compare step by step. */
  key: string;
  kind: string;
  params: Record<string, unknown>;
  description: string;
}
