import type { EngineDeps } from "./deps";

/** Why a run's current work is being stopped. */
export type StopReason = "cancel" | "rollback" | "shutdown" | "lost";

export class RunControl {
  private readonly controller = new AbortController();
  reason: StopReason | null = null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(new Error(`stopped: ${reason}`));
  }
}

/** Reads the run's cancel and rollback requests and stops `control` for the one found (rollback wins). */
export async function applyStopRequests(deps: EngineDeps, runId: string, control: RunControl): Promise<boolean> {
  const run = await deps.db.cutoverRun.findUnique({ where: { id: runId }, select: { cancelRequestedAt: true, rollbackRequestedAt: true } });
  if (run?.rollbackRequestedAt) control.stop("rollback");
  else if (run?.cancelRequestedAt) control.stop("cancel");
  return control.signal.aborted;
}

/**
 * Polls the run for cancel and rollback requests (the database is the truth; a NOTIFY would only
 * make it sooner) and stops the current step when one arrives.
 */
export function watchRequests(deps: EngineDeps, runId: string, control: RunControl, phase: () => "forward" | "rollback"): { stop(): void } {
  const timer = setInterval(async () => {
    try {
      if (phase() !== "rollback") await applyStopRequests(deps, runId, control);
    } catch (err) {
      deps.log.warn(`checking run ${runId} for requests failed: ${(err as Error).message}`);
    }
  }, 1_000);
  return { stop: () => clearInterval(timer) };
}
