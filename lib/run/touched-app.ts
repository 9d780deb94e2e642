import type { Tx } from "@/lib/db/client";
import { isStepKind, stepKind } from "@/lib/steps/catalog";
import type { PlanSnapshot } from "./plan-snapshot";

/** The keys of a plan's steps that may change the live app once started (the catalog's touchesApp). */
export function appTouchingKeys(steps: PlanSnapshot["steps"]): string[] {
  return steps.filter((s) => isStepKind(s.kind) && stepKind(s.kind).touchesApp).map((s) => s.key);
}

/** True once any step of the run's plan that touches the app has started. */
export async function touchedApp(tx: Tx, runId: string): Promise<boolean> {
  const run = await tx.cutoverRun.findUnique({ where: { id: runId }, select: { planSnapshot: true } });
  const steps = (run?.planSnapshot as Partial<PlanSnapshot> | null)?.steps;
  if (!Array.isArray(steps)) return false;
  const count = await tx.stepRun.count({
    where: { runId, phase: "forward", stepKey: { in: appTouchingKeys(steps) }, status: { notIn: ["pending", "skipped"] } },
  });
  return count > 0;
}
