import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { HerokuClient } from "@/lib/heroku";
import type { PlanSnapshot } from "@/lib/run/plan-snapshot";
import type { RunKind } from "@/lib/run/state-machine";
import type { SecretKey } from "@/lib/security/secret-key";
import type { StepLogger } from "../engine/step-logger";

/** What every step gets: the frozen plan, its decrypted secrets, clients, a logger and a stop signal. */
export interface StepContext {
  runId: string;
  kind: RunKind;
  plan: PlanSnapshot;
  /** Decrypted for this run only; every value is registered with the log writer for redaction. */
  secrets: { herokuToken: string; targetUrl: string };
  heroku: HerokuClient;
  db: Db;
  /** For secrets a step seals (the source URL) or opens; opened values must be registered. */
  secretKey: SecretKey;
  /** Adds a value to this run's redaction list before it can reach any log line. */
  registerSecret(value: string): void;
  log: StepLogger;
  signal: AbortSignal;
  /** Outputs of this run's succeeded steps, by step key (memoized results, e.g. the formation). */
  outputs: Record<string, unknown>;
  /** Where temporary files (dump directories) may go. */
  workDir: string;
  /** Smoke checks may call internal addresses (a local sandbox); otherwise they are refused. */
  allowPrivateUrls: boolean;
  now: () => Date;
}

/** A step's verdict. "attention" completes the step but marks the run as needing a person. */
export type StepOutcome = { output: Record<string, unknown>; attention?: string };

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** One entry of the step catalog: kind → schema, run, rollback, timeout, retry, idempotency. */
export interface StepDefinition<P = unknown> {
  kind: string;
  params: z.ZodType<P>;
  run(ctx: StepContext, params: P): Promise<StepOutcome>;
  /** Undo what run did, given its output; absent when there is nothing to undo. */
  rollback?(ctx: StepContext, params: P, output: Record<string, unknown>): Promise<void>;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Safe to run again after a crash mid-step; otherwise `resume` prepares a clean restart. */
  idempotent: boolean;
  resume?(ctx: StepContext, params: P): Promise<void>;
  /** Rehearsals run only the steps that do not touch the live app (preflight runs only preflight). */
  inRehearsal: boolean;
  /** From this step on, the app may have been changed, so rollback is offered. */
  touchesApp: boolean;
}

/** For steps that take no parameters; unknown keys are kept so older plans still parse. */
export const NoParams = z.object({}).passthrough();
export type NoParams = z.infer<typeof NoParams>;
