import { CORE_KEYS, ROLLBACK_KEYS } from "@/lib/steps/core-plan";
// The downtime report of a run: how long customers saw the maintenance page, where that time went,
// and how the preflight's copy estimate compared with the real copy. Pure: no database, no clock.
import type { DowntimeEstimate } from "./downtime-estimate";

/** One step attempt as the report needs it (a StepRun row fits). */
export interface AttemptFacts {
  key: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface DowntimeInput {
  /** The run's forward step attempts, in any order. */
  attempts: readonly AttemptFacts[];
  /** The run's rollback-phase attempts, if any: a rollback's "maintenance off" also ends the downtime. */
  rollbackAttempts?: readonly AttemptFacts[];
  /** When the run ended, if it has. */
  runFinishedAt: Date | null;
  /** `estimatedCopyMs` from the preflight step's output, when it has one. */
  estimatedCopyMs: number | null;
  /** The preflight's step-by-step estimate of the maintenance time, when it made one. */
  estimate?: DowntimeEstimate | null;
  now: Date;
}

/** How the maintenance span ended: forward maintenance off, a rollback's maintenance off, the run's end, or not yet (now). */
export type DowntimeEnd = typeof CORE_KEYS.maintenanceOff | typeof ROLLBACK_KEYS.maintenanceOff | "run_end" | "now";

export interface DowntimeReport {
  /** Start of the first maintenance_on attempt; null when maintenance was never turned on. */
  since: Date | null;
  /** End of the span measured (now while it is ongoing); null when maintenance was never turned on. */
  until: Date | null;
  endedBy: DowntimeEnd | null;
  /** True while the maintenance page is (as far as the run knows) still up. */
  ongoing: boolean;
  totalMs: number;
  /** Each step's time inside the span, in the order the steps first started; attempts counts the attempts that overlap it. */
  steps: Array<{ key: string; attempts: number; ms: number }>;
  /** Time inside the span covered by no step attempt (the worker between steps). */
  betweenStepsMs: number;
  /** The preflight's estimate, shown beside the measured figures. */
  estimate: DowntimeEstimate | null;
  copy: {
    estimatedMs: number | null;
    /** Duration of the succeeded copy attempt; null until the copy succeeded. */
    measuredMs: number | null;
    /** measured − estimated: positive when the copy took longer than estimated. */
    differenceMs: number | null;
  };
}

const MAINTENANCE_ON = CORE_KEYS.maintenanceOn;
const MAINTENANCE_OFF = CORE_KEYS.maintenanceOff;
const ROLLBACK_MAINTENANCE_OFF = ROLLBACK_KEYS.maintenanceOff;

export function downtimeReport(input: DowntimeInput): DowntimeReport {
  const { attempts, now } = input;
  const rollbackAttempts = input.rollbackAttempts ?? [];
  const copy = copyFacts(attempts, input.estimatedCopyMs);

  const starts = attempts.filter((a) => a.key === MAINTENANCE_ON && a.startedAt).map((a) => a.startedAt!.getTime());
  if (starts.length === 0) {
    return { since: null, until: null, endedBy: null, ongoing: false, totalMs: 0, steps: [], betweenStepsMs: 0, estimate: input.estimate ?? null, copy };
  }
  const since = Math.min(...starts);

  const offAt = latestSucceededEnd(attempts, MAINTENANCE_OFF);
  const rollbackOffAt = latestSucceededEnd(rollbackAttempts, ROLLBACK_MAINTENANCE_OFF);
  let end: number;
  let endedBy: DowntimeEnd;
  if (offAt !== null) [end, endedBy] = [offAt, MAINTENANCE_OFF];
  else if (rollbackOffAt !== null) [end, endedBy] = [rollbackOffAt, ROLLBACK_MAINTENANCE_OFF];
  else if (input.runFinishedAt) [end, endedBy] = [input.runFinishedAt.getTime(), "run_end"];
  else [end, endedBy] = [now.getTime(), "now"];
  end = Math.max(end, since);

  const byKey = new Map<string, { key: string; attempts: number; ms: number; first: number }>();
  const intervals: Array<[number, number]> = [];
  for (const a of [...attempts, ...rollbackAttempts]) {
    if (!a.startedAt) continue;
    const from = a.startedAt.getTime();
    const to = a.finishedAt ? a.finishedAt.getTime() : end;
    const lo = Math.max(from, since);
    const hi = Math.min(to, end);
    // Touching the span only at an edge is outside it (a zero-length attempt inside it still counts).
    if (lo > hi || (lo === hi && to > from)) continue;
    const entry = byKey.get(a.key) ?? { key: a.key, attempts: 0, ms: 0, first: from };
    entry.attempts += 1;
    entry.ms += hi - lo;
    entry.first = Math.min(entry.first, from);
    byKey.set(a.key, entry);
    intervals.push([lo, hi]);
  }
  const totalMs = end - since;
  const steps = [...byKey.values()].sort((a, b) => a.first - b.first).map(({ key, attempts: n, ms }) => ({ key, attempts: n, ms }));
  return {
    since: new Date(since),
    until: new Date(end),
    endedBy,
    ongoing: endedBy === "now",
    totalMs,
    steps,
    betweenStepsMs: Math.max(0, totalMs - unionMs(intervals)),
    estimate: input.estimate ?? null,
    copy,
  };
}

function latestSucceededEnd(attempts: readonly AttemptFacts[], key: string): number | null {
  const ends = attempts.filter((a) => a.key === key && a.status === "succeeded" && a.finishedAt).map((a) => a.finishedAt!.getTime());
  return ends.length ? Math.max(...ends) : null;
}

function copyFacts(attempts: readonly AttemptFacts[], estimatedMs: number | null): DowntimeReport["copy"] {
  const done = attempts.filter((a) => a.key === CORE_KEYS.copy && a.status === "succeeded" && a.startedAt && a.finishedAt);
  const last = done.sort((a, b) => a.finishedAt!.getTime() - b.finishedAt!.getTime()).at(-1);
  const measuredMs = last ? last.finishedAt!.getTime() - last.startedAt!.getTime() : null;
  return {
    estimatedMs,
    measuredMs,
    differenceMs: measuredMs !== null && estimatedMs !== null ? measuredMs - estimatedMs : null,
  };
}

/** Total length covered by possibly overlapping intervals. */
function unionMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [curLo, curHi] = [Number.NaN, Number.NaN];
  for (const [lo, hi] of sorted) {
    if (Number.isNaN(curLo) || lo > curHi) {
      if (!Number.isNaN(curLo)) total += curHi - curLo;
      [curLo, curHi] = [lo, hi];
    } else curHi = Math.max(curHi, hi);
  }
  if (!Number.isNaN(curLo)) total += curHi - curLo;
  return total;
}
