import type { StepKindSpec } from "@/lib/steps/types";
import type { Db } from "@/lib/db/client";
import type { AppPlatform } from "@/lib/platform/types";
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
  secrets: { platformToken: string; targetUrl: string };
  /** The plan's app on its platform (maintenance, formation, database attachment). */
  platform: AppPlatform;
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
  /** The step being run: set by the step runner for each attempt. */
  step?: { key: string; stepRunId: string };
}

/** A step's verdict. "attention" completes the step but marks the run as needing a person. */
export type StepOutcome = { output: Record<string, unknown>; attention?: string };

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/**
 * The worker's half of a step kind: how to run, undo and resume it. What the kind is (params,
 * words, rehearsal, cancel unit) is its spec in lib/steps, the single source for every process.
 */
export interface StepExecutor<P = unknown> {
  spec: StepKindSpec<P>;
  run(ctx: StepContext, params: P): Promise<StepOutcome>;
  /** Undo what run did, given its output; present exactly when the spec's rollback is "undo". */
  rollback?(ctx: StepContext, params: P, output: Record<string, unknown>): Promise<void>;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Safe to run again after a crash mid-step; otherwise `resume` prepares a clean restart. */
  idempotent: boolean;
  resume?(ctx: StepContext, params: P): Promise<void>;
}

/** Pairs a kind's spec with its executor, the params' type inferred from the spec. */
export function defineExecutor<P>(spec: StepKindSpec<P>, executor: Omit<StepExecutor<P>, "spec">): StepExecutor<P> {
  return { spec, ...executor };
}
