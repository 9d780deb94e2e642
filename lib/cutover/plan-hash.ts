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
  /**
   * The notification channels, in order: name, format, events, lead time and the id of the Secret
   * holding the URL (a new URL is a new Secret, so its id stands for the value; never the URL).
   */
  notifications?: HashedChannel[];
}

export interface HashedChannel {
  name: string;
  format: string;
  urlSecretId: string;
  events: string[];
  windowLeadMinutes: number;
}

export function planHash(plan: PlanContent): string {
  const { notifications, ...rest } = plan;
  const body = canonicalJson({
    ...rest,
    // Left out when there are none, so plans from before notifications existed keep their hash.
    ...(notifications?.length
      ? { notifications: notifications.map((c) => ({ name: c.name, format: c.format, urlSecretId: c.urlSecretId, events: c.events, windowLeadMinutes: c.windowLeadMinutes })) }
      : {}),
    windowStartsAt: plan.windowStartsAt?.toISOString() ?? null,
    windowEndsAt: plan.windowEndsAt?.toISOString() ?? null,
  });
  return createHash("sha256").update(body).digest("hex");
}
