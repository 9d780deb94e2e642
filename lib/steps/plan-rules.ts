import type { FieldError } from "@/lib/errors";
import { isStepKind, stepKind } from "./catalog";
import { CORE_KINDS, CORE_ORDER, coreStep, WHY_AFTER_PREVIOUS } from "./core-plan";
import type { PlanStepSpec } from "./plan-step";

export const STEP_KEY = /^[a-z][a-z0-9_]{0,62}$/;
// A rollback's own steps are named after these; a plan step so named would be confused with them.
const RESERVED_KEY = /^(rollback_|undo_)/;

type StepDraft = Pick<PlanStepSpec, "key" | "kind" | "params">;

/**
 * What is wrong with a runbook, each problem at its step's path with what to do about it: kinds
 * and params per the catalog, unique keys, and the core complete, unchanged and in its order.
 */
export function planStepProblems(steps: StepDraft[]): FieldError[] {
  return [...steps.flatMap(stepProblems), ...keyProblems(steps), ...coreProblems(steps)];
}

function stepProblems(step: StepDraft, i: number): FieldError[] {
  const at = `steps.${i}`;
  if (!STEP_KEY.test(step.key)) return [{ path: `${at}.key`, message: "must be lowercase letters, digits and _ (starting with a letter, 63 at most)" }];
  if (RESERVED_KEY.test(step.key)) return [{ path: `${at}.key`, message: "must not start with rollback_ or undo_ (the rollback's own steps are named so)" }];
  if (!isStepKind(step.kind)) return [{ path: `${at}.kind`, message: `is not a step kind this version knows (${step.kind.slice(0, 60)})` }];
  const parsed = stepKind(step.kind).params.safeParse(step.params ?? {});
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: [at, "params", ...issue.path.map(String)].join("."), message: issue.message }));
}

function keyProblems(steps: StepDraft[]): FieldError[] {
  const seen = new Set<string>();
  return steps.flatMap((s, i) => {
    if (!seen.has(s.key)) return (seen.add(s.key), []);
    return [{ path: `steps.${i}.key`, message: `is used by an earlier step (${s.key}); every step needs its own key` }];
  });
}

function coreProblems(steps: StepDraft[]): FieldError[] {
  const problems: FieldError[] = [];
  steps.forEach((s, i) => {
    const core = coreStep(s.key);
    if (!core && CORE_KINDS.has(s.kind)) problems.push({ path: `steps.${i}.kind`, message: `is part of the core plan and appears there only once; remove this extra ${stepKind(s.kind).title.toLowerCase()} step` });
    if (core && core.kind !== s.kind) problems.push({ path: `steps.${i}.kind`, message: `must stay ${core.kind}: ${s.key} is a core step` });
    for (const [name, value] of Object.entries(core?.params ?? {})) {
      if (core && core.kind === s.kind && stepKind(s.kind).fixedInCore?.includes(name) && s.params?.[name] !== value) problems.push({ path: `steps.${i}.params.${name}`, message: `must stay ${JSON.stringify(value)}: ${s.key} is a core step` });
    }
  });
  const missing = CORE_ORDER.filter((key) => !steps.some((s) => s.key === key));
  if (missing.length) problems.push({ path: "steps", message: `must keep every core step; missing: ${missing.join(", ")}` });
  return problems.length ? problems : [...orderProblems(steps), ...placementProblems(steps)];
}

// The first adjacent core pair found out of order is enough: the reason says why they belong so.
function orderProblems(steps: StepDraft[]): FieldError[] {
  const position = (key: string) => steps.findIndex((s) => s.key === key);
  for (let k = 1; k < CORE_ORDER.length; k++) {
    const [before, after] = [CORE_ORDER[k - 1]!, CORE_ORDER[k]!];
    if (position(before) > position(after)) {
      const why = WHY_AFTER_PREVIOUS[after as keyof typeof WHY_AFTER_PREVIOUS];
      return [{ path: `steps.${position(after)}`, message: `${after} must come after ${before}: ${why}` }];
    }
  }
  return [];
}

// An optional step goes where its kind says it can work, e.g. SQL on the target after the copy.
function placementProblems(steps: StepDraft[]): FieldError[] {
  const position = (key: string) => steps.findIndex((s) => s.key === key);
  return steps.flatMap((s, i) => {
    const place = coreStep(s.key) || !isStepKind(s.kind) ? undefined : stepKind(s.kind).placement;
    if (!place) return [];
    if (place.after && i < position(place.after)) return [{ path: `steps.${i}`, message: `${s.key} must come after ${place.after}: ${place.why}` }];
    if (place.before && i > position(place.before)) return [{ path: `steps.${i}`, message: `${s.key} must come before ${place.before}: ${place.why}` }];
    return [];
  });
}
