import { z } from "zod";
import { stepKind } from "./catalog";
import { planStepProblems } from "./plan-rules";
import type { PlanStepSpec } from "./plan-step";

const PlanStepInput = z.object({
  key: z.string().max(63, "is too long (63 characters at most)"),
  kind: z.string().max(100, "is too long"),
  params: z.record(z.string(), z.unknown()).default({}),
  /** The operator's words for the step; the kind's own description when left out. */
  description: z.string().trim().max(2000, "is too long (2000 characters at most)").optional(),
});

/** A runbook as the API takes it: every problem reported at its step (`steps.3.params.observeMs`). */
export const PlanStepsInput = z
  .array(PlanStepInput)
  .max(100, "has too many steps (100 at most)")
  .superRefine((steps, ctx) => {
    for (const p of planStepProblems(steps)) ctx.addIssue({ code: "custom", path: p.path.split(".").slice(1), message: p.message });
  });

/** The steps as stored and hashed: params with the kind's defaults filled in, so approvers sign what runs. */
export function toPlanSteps(steps: z.infer<typeof PlanStepsInput>): PlanStepSpec[] {
  return steps.map((s) => {
    const spec = stepKind(s.kind);
    const params = spec.params.parse(s.params) as Record<string, unknown>;
    return { key: s.key, kind: s.kind, params, description: s.description || spec.does(params) };
  });
}
