// The downtime a live run should cause, step by step, made at preflight and shown beside the
// measured downtime report. Copy comes from a rehearsal's measured rate when there is one.

export type EstimateBasis = "rehearsal" | "rule_of_thumb";

export interface DowntimeEstimate {
  totalMs: number;
  /** Where the copy figure came from; the other steps are rules of thumb for Heroku's API. */
  basis: EstimateBasis;
  steps: Array<{ key: string; ms: number }>;
}

// Measured against the sandbox emulator and typical Heroku API latencies, rounded up.
const FIXED_MS: Record<string, number> = {
  maintenance_on: 2_000,
  scale_down: 3_000,
  switch: 10_000,
  restore_formation: 3_000,
  maintenance_off: 2_000,
};
// Exact row counts read every table on both sides: a fraction of the copy, which also writes.
const VERIFY_SHARE_OF_COPY = 0.15;
const WRITE_FREEZE_OVERHEAD_MS = 2_000;

/** The maintenance-page time the live plan's steps should take, in plan order. */
export function estimateDowntime(input: { copyMs: number; basis: EstimateBasis; writeFreezeObserveMs: number }): DowntimeEstimate {
  const steps = [
    { key: "maintenance_on", ms: FIXED_MS.maintenance_on! },
    { key: "scale_down", ms: FIXED_MS.scale_down! },
    { key: "write_freeze", ms: input.writeFreezeObserveMs + WRITE_FREEZE_OVERHEAD_MS },
    { key: "copy", ms: Math.round(input.copyMs) },
    { key: "verify", ms: Math.round(input.copyMs * VERIFY_SHARE_OF_COPY) },
    { key: "switch", ms: FIXED_MS.switch! },
    { key: "restore_formation", ms: FIXED_MS.restore_formation! },
    { key: "maintenance_off", ms: FIXED_MS.maintenance_off! },
  ];
  return { totalMs: steps.reduce((n, s) => n + s.ms, 0), basis: input.basis, steps };
}
