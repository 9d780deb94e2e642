import { setTimeout as sleep } from "node:timers/promises";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isPermanentPlatformError } from "@/lib/platform/errors";
import { transitionStep } from "@/lib/run/transition-step";
import { PermanentStepError } from "../steps/step-error";
import type { StepContext } from "../steps/types";
import type { RunControl } from "./control";
import type { EngineDeps } from "./deps";
import { workerCtx } from "./worker-ctx";
import { runLogger } from "./run-logger";
import type { StepLogger } from "./step-logger";

export interface StepWork {
  key: string;
  phase: "forward" | "rollback";
  title: string;
  firstAttempt: number;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  /** False for steps that must finish once begun: a cancel or rollback request waits for their end. */
  stopsOnRequest?: boolean;
  run(ctx: StepContext): Promise<{ output: Record<string, unknown>; attention?: string }>;
}

export type StepResult =
  | { kind: "succeeded"; output: Record<string, unknown>; attention?: string }
  | { kind: "failed"; error: string }
  | { kind: "stopped" };

export interface RunScope {
  deps: EngineDeps;
  ctx: StepContext;
  control: RunControl;
  setLogger(log: StepLogger): void;
  redact(text: string): string;
}

/** Runs one step with its timeout and retry policy; every attempt is a StepRun row with its transitions. */
export async function runStep(scope: RunScope, work: StepWork): Promise<StepResult> {
  const { deps, ctx, control } = scope;
  for (let tries = 0; ; tries++) {
    const attempt = work.firstAttempt + tries;
    const row = await deps.db.stepRun.create({ data: { runId: ctx.runId, stepKey: work.key, phase: work.phase, attempt } });
    await transitionStep({ ctx: workerCtx(deps), input: { stepRunId: row.id, from: "pending", to: "running" } });
    const log = runLogger(deps.logs, ctx.runId, row.id);
    scope.setLogger(log);
    log.info(`▶ ${work.title}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);
    const signal = stepSignal(control, AbortSignal.timeout(work.timeoutMs), work.stopsOnRequest !== false);
    const started = Date.now();
    try {
      const outcome = await work.run({ ...ctx, log, signal, step: { key: work.key, stepRunId: row.id } });
      await transitionStep({ ctx: workerCtx(deps), input: { stepRunId: row.id, from: "running", to: "succeeded", output: outcome.output as Prisma.InputJsonValue } });
      log.info(`✔ ${work.key} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { kind: "succeeded", ...outcome };
    } catch (err) {
      if (control.reason === "shutdown" || control.reason === "lost") return { kind: "stopped" };
      const error = scope.redact(describe(err, signal, work.timeoutMs));
      const stoppedByRequest = control.signal.aborted;
      await transitionStep({ ctx: workerCtx(deps), input: { stepRunId: row.id, from: "running", to: stoppedByRequest ? "cancelled" : "failed", error } });
      if (stoppedByRequest) return { kind: "stopped" };
      log.write("stderr", `✘ ${work.key} failed: ${error}`);
      if (err instanceof PermanentStepError || isPermanentPlatformError(err) || tries + 1 >= work.attempts) return { kind: "failed", error };
      const wait = work.backoffMs * 2 ** tries;
      log.info(`retrying ${work.key} in ${(wait / 1000).toFixed(1)} s`);
      await sleep(wait, undefined, { signal: control.signal }).catch(() => undefined);
      if (control.signal.aborted) return { kind: "stopped" };
    }
  }
}

// A step that must finish once begun still stops when the run's lock is lost: another worker owns it now.
function stepSignal(control: RunControl, timeout: AbortSignal, stopsOnRequest: boolean): AbortSignal {
  if (stopsOnRequest) return AbortSignal.any([control.signal, timeout]);
  const lost = new AbortController();
  control.signal.addEventListener("abort", () => control.reason === "lost" && lost.abort(control.signal.reason), { once: true });
  return AbortSignal.any([lost.signal, timeout]);
}

function describe(err: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === "TimeoutError") {
    return `timed out after ${Math.round(timeoutMs / 1000)} s`;
  }
  return err instanceof Error ? err.message : String(err);
}
