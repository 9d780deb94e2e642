import type { Cutover, HerokuApp, PlanStep } from "@/lib/generated/prisma/client";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import type { PlanSnapshot } from "./plan-snapshot";

type CutoverWithPlan = Cutover & { herokuApp: HerokuApp; steps: PlanStep[] };

/** Freezes a cutover's current plan for a run. */
export function planSnapshotOf(c: CutoverWithPlan): PlanSnapshot {
  const options = (c.options ?? {}) as Record<string, unknown>;
  return {
    cutoverId: c.id,
    name: c.name,
    planHash: c.planHash,
    app: { id: c.herokuApp.id, name: c.herokuApp.name, apiBaseUrl: c.herokuApp.apiBaseUrl, apiTokenSecretId: c.herokuApp.apiTokenSecretId },
    targetDatabaseSecretId: c.targetDatabaseSecretId,
    rehearsalDatabaseSecretId: typeof options.rehearsalDatabaseSecretId === "string" ? options.rehearsalDatabaseSecretId : null,
    targetDatabaseDisplay: c.targetDatabaseDisplay,
    smokeChecks: c.smokeChecks as PlanSnapshot["smokeChecks"],
    windowStartsAt: c.windowStartsAt?.toISOString() ?? null,
    windowEndsAt: c.windowEndsAt?.toISOString() ?? null,
    timeZone: c.timeZone,
    requiredApprovals: c.requiredApprovals,
    options: {
      overwriteTarget: options.overwriteTarget === true,
      copyJobs: typeof options.copyJobs === "number" ? options.copyJobs : undefined,
    },
    steps: [...c.steps]
      .sort((a, b) => a.position - b.position)
      .map((s): PlanStepSpec => ({
        key: s.key,
        kind: s.kind,
        params: s.params as Record<string, unknown>,
        description: s.description,
      })),
  };
}
