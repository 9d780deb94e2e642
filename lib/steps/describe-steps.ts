import { isStepKind, stepKind } from "./catalog";
import type { PlanStepSpec } from "./plan-step";

export interface DescribedStep extends PlanStepSpec {
  title: string;
  /** What a rollback does about this step, in words. */
  undoes: string;
  touchesApp: boolean;
  runsIn: readonly string[];
}

/** A plan's steps with their kinds' facts, for the API and the pages (which never import the catalog's executors). */
export function describeSteps(steps: PlanStepSpec[]): DescribedStep[] {
  return steps.map((s) => {
    if (!isStepKind(s.kind)) return { ...s, title: s.kind, undoes: "Unknown step kind: this plan cannot run until it is removed", touchesApp: true, runsIn: [] };
    const spec = stepKind(s.kind);
    const parsed = spec.params.safeParse(s.params);
    const undoes = parsed.success ? spec.undoes(parsed.data) : "Its parameters are invalid: fix them before running";
    return { ...s, title: spec.title, undoes, touchesApp: spec.touchesApp, runsIn: spec.runsIn };
  });
}
