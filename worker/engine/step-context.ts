import type { CutoverRun } from "@/lib/generated/prisma/client";
import type { PlanSnapshot } from "@/lib/run/plan-snapshot";
import { redact } from "@/lib/security/redact";
import { readSecret } from "@/lib/security/secret-store";
import type { StepContext } from "../steps/types";
import type { EngineDeps } from "./deps";
import { herokuPlatform } from "@/lib/platform/heroku/heroku-platform";
import { herokuForRun } from "./heroku-for-run";
import { runLogger } from "./run-logger";
import type { StepLogger } from "./step-logger";

/** Secrets are opened here, inside the worker, and registered for redaction before any use. */
export async function buildStepContext(
  deps: EngineDeps,
  run: CutoverRun,
  signal: AbortSignal,
): Promise<{ ctx: StepContext; setLogger(log: StepLogger): void; redact(text: string): string }> {
  const plan = run.planSnapshot as unknown as PlanSnapshot;
  const targetSecretId = run.kind === "rehearsal" ? plan.rehearsalDatabaseSecretId : plan.targetDatabaseSecretId;
  if (!targetSecretId) throw new Error(`the plan has no ${run.kind === "rehearsal" ? "rehearsal " : ""}target database`);
  const platformToken = await readSecret(deps.db, deps.secretKey, plan.app.apiTokenSecretId);
  const targetUrl = await readSecret(deps.db, deps.secretKey, targetSecretId);
  // One list per run: log lines and stored step errors are redacted with the same secrets,
  // including those a step opens later (the source URL).
  const secrets: string[] = [];
  const registerSecret = (value: string) => {
    if (!value) return;
    secrets.push(value);
    deps.logs.registerSecrets(run.id, [value]);
  };
  for (const value of [platformToken, targetUrl, decodeURIComponent(new URL(targetUrl).password)]) registerSecret(value);
  let current: StepLogger = runLogger(deps.logs, run.id);
  const clientOptions = { runId: run.id, baseUrl: plan.app.apiBaseUrl, token: platformToken, log: () => current };
  const ctx: StepContext = {
    runId: run.id,
    kind: run.kind,
    plan,
    secrets: { platformToken, targetUrl },
    platform: herokuPlatform({
      client: herokuForRun(deps, { ...clientOptions, signal }),
      app: plan.app.name,
      // Stopping a one-off process after a cancel must still reach the platform, logged and audited alike.
      cleanup: herokuForRun(deps, { ...clientOptions, signal: new AbortController().signal }),
    }),
    db: deps.db,
    secretKey: deps.secretKey,
    registerSecret,
    get log() {
      return current;
    },
    signal,
    outputs: {},
    workDir: deps.workDir,
    allowPrivateUrls: deps.allowPrivateSmokeUrls ?? false,
    now: deps.now,
  };
  return { ctx, setLogger: (log) => (current = log), redact: (text) => redact(text, secrets) };
}
