// The run and step state machines: pure data and predicates, imported by the UI and the worker.
// Every status change goes through transitionRun/transitionStep, which consult these tables.

export const RUN_STATUSES = [
  "queued",
  "running",
  "cancelling",
  "cancelled",
  "succeeded",
  "needs_attention",
  "failed",
  "rolling_back",
  "rolled_back",
  "rollback_failed",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const RUN_MOVES: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["running", "cancelled"],
  running: ["succeeded", "needs_attention", "failed", "cancelling", "rolling_back"],
  cancelling: ["cancelled", "failed"],
  // A failed or cancelled run may be retried (queued again) or rolled back.
  cancelled: ["queued", "rolling_back"],
  failed: ["queued", "rolling_back"],
  // Smoke regressions: the operator accepts the result or rolls back.
  needs_attention: ["succeeded", "rolling_back"],
  succeeded: ["rolling_back"],
  rolling_back: ["rolled_back", "rollback_failed"],
  rollback_failed: ["rolling_back"],
  rolled_back: [],
};

export function allowedRunMoves(from: RunStatus): readonly RunStatus[] {
  return RUN_MOVES[from];
}

export function canMoveRun(from: RunStatus, to: RunStatus): boolean {
  return RUN_MOVES[from].includes(to);
}

/** Statuses in which a worker is (or should be) executing the run. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["queued", "running", "cancelling", "rolling_back"];

/** Nothing more will happen unless a person asks for it. */
export function isTerminal(status: RunStatus): boolean {
  return !ACTIVE_RUN_STATUSES.includes(status);
}

export function canStart(status: RunStatus): boolean {
  return canMoveRun(status, "running");
}

export function canCancel(status: RunStatus): boolean {
  return status === "queued" || status === "running";
}

export function canRetry(status: RunStatus): boolean {
  return canMoveRun(status, "queued");
}

/** preflight: checks only; rehearsal: copies into a scratch target; live: switches the app. */
export const RUN_KINDS = ["rehearsal", "live", "preflight"] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export interface RollbackFacts {
  status: RunStatus;
  kind: RunKind;
  /** True once the maintenance step has started: from then on the app may be changed. */
  touchedApp: boolean;
}

/** Rollback undoes changes to the app, so it is offered only for live runs that made some. */
export function canRollback(run: RollbackFacts): boolean {
  return run.kind === "live" && run.touchedApp && canMoveRun(run.status, "rolling_back");
}

export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "abandoned"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

const STEP_MOVES: Record<StepStatus, readonly StepStatus[]> = {
  pending: ["running", "skipped", "cancelled"],
  // abandoned: the worker running it died; a new attempt row takes over.
  running: ["succeeded", "failed", "cancelled", "abandoned"],
  succeeded: [],
  failed: [],
  skipped: [],
  cancelled: [],
  abandoned: [],
};

export function canMoveStep(from: StepStatus, to: StepStatus): boolean {
  return STEP_MOVES[from].includes(to);
}

export function isStepFinished(status: StepStatus): boolean {
  return STEP_MOVES[status].length === 0;
}

/** A succeeded step is memoized and never executed again, not even on resume. */
export function mustRunStep(latestAttempt: StepStatus | undefined): boolean {
  return latestAttempt !== "succeeded" && latestAttempt !== "skipped";
}
