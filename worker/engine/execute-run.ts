import type { CutoverRun } from "@/lib/generated/prisma/client";
import type { PlanSnapshot } from "@/lib/run/plan-snapshot";
import { isTerminal, type RunStatus } from "@/lib/run/state-machine";
import { transitionRun } from "@/lib/run/transition-run";
import { RunControl, watchRequests } from "./control";
import type { EngineDeps } from "./deps";
import { workerCtx } from "./worker-ctx";
import { runForward } from "./forward";
import { startHeartbeat } from "./heartbeat";
import { runRollback } from "./rollback";
import { tryLockRun } from "./run-lock";
import type { RunScope } from "./run-step";
import { buildStepContext } from "./step-context";

/**
 * Executes a run as far as it can go: forward through the plan, then the rollback if one is
 * asked for. Only the worker holding the run's lock gets past the first line.
 */
export async function executeRun(deps: EngineDeps, runId: string, shutdown?: AbortSignal): Promise<void> {
  const lock = await tryLockRun(deps.pool, runId);
  if (!lock) return;
  let control = new RunControl();
  shutdown?.addEventListener("abort", () => control.stop("shutdown"), { once: true });
  let phase: "forward" | "rollback" = "forward";
  let heartbeat: { stop(): void } | undefined;
  let watcher: { stop(): void } | undefined;
  try {
    const run = await claim(deps, runId);
    if (!run) return;
    heartbeat = startHeartbeat(deps, runId, () => control.stop("lost"));
    watcher = watchRequests(deps, runId, control, () => phase);
    const scopeFor = async (c: RunControl): Promise<RunScope> => {
      const built = await buildStepContext(deps, run, c.signal);
      return { deps, ctx: built.ctx, control: c, setLogger: built.setLogger, redact: built.redact };
    };
    let scope = await scopeFor(control);
    const plan = run.planSnapshot as unknown as PlanSnapshot;
    let status = run.status as RunStatus;
    if (status === "running") status = await forward(scope, plan);
    // The request that stopped the forward steps must not stop the rollback's own: a fresh signal
    // (and platform client bound to it) for the rollback; shutdown and a lost lock still reach it.
    if (status === "rolling_back" && control.reason === "rollback") {
      control = new RunControl();
      scope = await scopeFor(control);
    }
    // transitionRun moves the cutover with the run (done, or draft again if the app was untouched).
    if (status === "cancelling") status = await move(deps, runId, "cancelling", "cancelled", "cancelled on request");
    if (status === "rolling_back") {
      phase = "rollback";
      const end = await runRollback(scope, plan.steps);
      if (end.kind === "done") await finishRollback(deps, run, "rolled_back", "rollback completed");
      if (end.kind === "failed") await finishRollback(deps, run, "rollback_failed", end.error);
    }
  } catch (err) {
    deps.log.error(`run ${runId} stopped on an internal error: ${(err as Error).stack ?? String(err)}`);
  } finally {
    heartbeat?.stop();
    watcher?.stop();
    // No heartbeat means "nobody is on it": a later rollback request or a takeover needs no wait.
    await deps.db.cutoverRun.updateMany({ where: { id: runId, claimedBy: deps.workerId }, data: { heartbeatAt: null } }).catch(() => undefined);
    await deps.logs.flush().catch(() => undefined);
    await lock.release();
  }
}

async function forward(scope: RunScope, plan: PlanSnapshot): Promise<RunStatus> {
  const { deps, ctx, control } = scope;
  const end = await runForward(scope, plan.steps);
  if (end.kind === "done") {
    const to = end.attention ? "needs_attention" : "succeeded";
    ctx.log.info(end.attention ? `finished, but needs attention: ${end.attention}` : `${ctx.kind} finished`);
    return move(deps, ctx.runId, "running", to, end.attention ?? "all steps succeeded");
  }
  if (end.kind === "failed") {
    ctx.log.write("stderr", `the run failed: ${end.error}`);
    const status = await move(deps, ctx.runId, "running", "failed", end.error, end.error);
    // A rollback asked for while the step was failing must not be dropped: it starts now.
    const asked = await deps.db.cutoverRun.findUnique({ where: { id: ctx.runId }, select: { rollbackRequestedAt: true } });
    if (status === "failed" && asked?.rollbackRequestedAt) return move(deps, ctx.runId, "failed", "rolling_back", "rollback requested while the run was failing");
    return status;
  }
  if (control.reason === "rollback") return move(deps, ctx.runId, "running", "rolling_back", "rollback requested");
  if (control.reason === "cancel") return move(deps, ctx.runId, "running", "cancelling", "cancel requested");
  return "running";
}

async function move(deps: EngineDeps, runId: string, from: RunStatus, to: RunStatus, reason: string, error?: string): Promise<RunStatus> {
  const run = await deps.db.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
  // A cancel request may have moved the run to cancelling meanwhile; follow the database.
  const actual = run.status as RunStatus;
  if (actual !== from) return actual;
  await transitionRun({ ctx: workerCtx(deps), input: { runId, from, to, reason, patch: error ? { error } : undefined } });
  return to;
}

async function finishRollback(deps: EngineDeps, run: CutoverRun, to: "rolled_back" | "rollback_failed", reason: string) {
  await move(deps, run.id, "rolling_back", to, reason, to === "rollback_failed" ? reason : undefined);
}

/** Takes the run over: a queued run starts; an active one is resumed from where its worker stopped. */
async function claim(deps: EngineDeps, runId: string): Promise<CutoverRun | null> {
  const run = await deps.db.cutoverRun.findUnique({ where: { id: runId } });
  if (!run || isTerminal(run.status as RunStatus)) return null;
  const now = deps.now();
  if (run.status === "queued") {
    await transitionRun({ ctx: workerCtx(deps), input: { runId, from: "queued", to: "running", reason: `claimed by ${deps.workerId}`, patch: { claimedBy: deps.workerId } } });
  } else {
    deps.log.info(`resuming run ${runId} (${run.status}), last held by ${run.claimedBy ?? "nobody"}`);
  }
  return deps.db.cutoverRun.update({ where: { id: runId }, data: { claimedBy: deps.workerId, claimedAt: now, heartbeatAt: now } });
}
