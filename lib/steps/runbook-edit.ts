import { STEP_KINDS, stepKind } from "./catalog";
import { CORE_KINDS, coreStep } from "./core-plan";
import { planStepProblems } from "./plan-rules";
import type { PlanStepSpec } from "./plan-step";

/** A step as the plan form edits it; `description` only when the operator wrote one. */
export type StepDraft = Pick<PlanStepSpec, "key" | "kind" | "params"> & { description?: string };

export type EditResult<T extends StepDraft = StepDraft> = { steps: T[]; refused?: undefined } | { refused: string; steps?: undefined };

/** The kinds an operator may add around the core, with what they do. */
export function optionalKinds(): Array<{ kind: string; title: string }> {
  return STEP_KINDS.filter((s) => !CORE_KINDS.has(s.kind)).map((s) => ({ kind: s.kind, title: s.title }));
}

export const isCoreStep = (step: Pick<StepDraft, "key">) => coreStep(step.key) !== null;

// Order and placement problems sit at a step (`steps.3`) or at the list (`steps`); param ones deeper.
const orderProblem = (steps: StepDraft[]) => planStepProblems(steps).find((p) => /^steps(\.\d+)?$/.test(p.path));

/** Moves a step one place up or down, or says why the runbook cannot have it there. */
export function moveStep<T extends StepDraft>(steps: T[], index: number, by: -1 | 1): EditResult<T> {
  const to = index + by;
  if (to < 0 || to >= steps.length) return { refused: `${steps[index]?.key ?? "this step"} is already ${by < 0 ? "first" : "last"}` };
  const moved = [...steps];
  [moved[index], moved[to]] = [moved[to]!, moved[index]!];
  const problem = orderProblem(moved);
  // A runbook already out of order (an older plan) may still be moved towards a valid one.
  if (problem && !orderProblem(steps)) return { refused: `Cannot move ${steps[index]!.key} ${by < 0 ? "up" : "down"}: ${problem.message}` };
  return { steps: moved };
}

/** Removes an optional step; the core stays whole. */
export function removeStep<T extends StepDraft>(steps: T[], index: number): EditResult<T> {
  const step = steps[index];
  if (!step) return { refused: "there is no such step" };
  if (isCoreStep(step)) return { refused: `${step.key} is a core step: every plan keeps it` };
  return { steps: steps.filter((_, i) => i !== index) };
}

/** Adds a step of the kind at the first place its kind allows, with a key no other step has; `make` wraps the new draft. */
export function addStep<T extends StepDraft>(steps: T[], kind: string, make: (draft: StepDraft) => T = (d) => d as T): EditResult<T> & { index?: number } {
  if (CORE_KINDS.has(kind)) return { refused: `${stepKind(kind).title} is part of the core plan, which has it already` };
  const spec = stepKind(kind);
  const base = kind.split(".").pop()!.replace(/[^a-z0-9_]/g, "_");
  let key = base;
  for (let n = 2; steps.some((s) => s.key === key); n++) key = `${base}_${n}`;
  let index = spec.placement?.after ? steps.findIndex((s) => s.key === spec.placement!.after) + 1 : steps.length;
  // After the other optional steps already there, so steps added one after another keep their order.
  while (index > 0 && index < steps.length && !isCoreStep(steps[index]!)) index++;
  const next = [...steps.slice(0, index), make({ key, kind, params: {} }), ...steps.slice(index)];
  return { steps: next, index };
}
