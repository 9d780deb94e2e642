import type { Prisma } from "@/lib/generated/prisma/client";
import type { PlanStepSpec } from "@/lib/steps/plan-step";

/** A plan step as a plan_steps row at its position. */
export function toPlanStepRow(step: PlanStepSpec, position: number) {
  return { position, key: step.key, kind: step.kind, description: step.description, params: step.params as Prisma.InputJsonValue };
}
