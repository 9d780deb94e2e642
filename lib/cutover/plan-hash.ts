import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/hash";
import type { PlanStepSpec } from "@/lib/steps/plan-step";

/** Everything an approver signs off on. Any change to it changes the hash. */
export interface PlanContent {
  herokuAppId: string;
  sourceAddonId: string | null;
  /** A new Secret row is written for every new target URL, so its id stands for the value. */
  targetDatabaseSecretId: string | null;
  smokeChecks: unknown;
  options: unknown;
  windowStartsAt: Date | null;
  windowEndsAt: Date | null;
  timeZone: string;
  requiredApprovals: number;
  steps: PlanStepSpec[];
}

export function planHash(plan: PlanContent): string {
  const body = canonicalJson({
    ...plan,
    windowStartsAt: plan.windowStartsAt?.toISOString() ?? null,
    windowEndsAt: plan.windowEndsAt?.toISOString() ?? null,
  });
  return createHash("sha256").update(body).digest("hex");
}
