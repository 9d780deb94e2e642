import type { PlanStepSpec } from "@/lib/steps/plan-step";

/**
 * The plan exactly as it was when the run was created. The worker executes this, never the live
 * plan, so an edit during a run cannot change what the run does.
 */
export interface PlanSnapshot {
  cutoverId: string;
  name: string;
  planHash: string;
  app: { id: string; name: string; apiBaseUrl: string; apiTokenSecretId: string };
  targetDatabaseSecretId: string | null;
  rehearsalDatabaseSecretId: string | null;
  targetDatabaseDisplay: string | null;
  smokeChecks: Array<{ url: string; expectStatus: number; expectText?: string; maxLatencyMs: number; imagesLoad: boolean }>;
  windowStartsAt: string | null;
  windowEndsAt: string | null;
  timeZone: string;
  requiredApprovals: number;
  options: { overwriteTarget?: boolean; copyJobs?: number };
  steps: PlanStepSpec[];
}
