import type { EngineDeps } from "./deps";

/**
 * Proves the run's worker is alive: it refreshes the run's heartbeat (and the running step's),
 * and stops the run's work when another worker has claimed it meanwhile.
 */
export function startHeartbeat(deps: EngineDeps, runId: string, onLost: () => void): { stop(): void } {
  const beat = async () => {
    const now = deps.now();
    const { count } = await deps.db.cutoverRun.updateMany({ where: { id: runId, claimedBy: deps.workerId }, data: { heartbeatAt: now } });
    if (count === 0) onLost();
    await deps.db.stepRun.updateMany({ where: { runId, status: "running" }, data: { heartbeatAt: now } });
  };
  const timer = setInterval(() => void beat().catch((err) => deps.log.warn(`heartbeat for run ${runId} failed: ${(err as Error).message}`)), deps.heartbeatMs);
  return { stop: () => clearInterval(timer) };
}
