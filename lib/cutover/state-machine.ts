// The cutover (plan) state machine: pure data and predicates. Every change of cutovers.status
// goes through transitionCutover, which consults this table; most happen inside transitionRun.
import type { RunKind, RunStatus } from "@/lib/run/state-machine";

export const CUTOVER_STATUSES = ["draft", "live", "done", "archived"] as const;
export type CutoverStatus = (typeof CUTOVER_STATUSES)[number];

const CUTOVER_MOVES: Record<CutoverStatus, readonly CutoverStatus[]> = {
  // A live run locks the plan; archiving retires a plan nobody is running.
  draft: ["live", "archived"],
  // The live run finished (done) or left the app as it was (draft: untouched, or rolled back).
  live: ["done", "draft"],
  // A done cutover may be rolled back (draft), run live again or retired.
  done: ["draft", "live", "archived"],
  archived: [],
};

export function allowedCutoverMoves(from: CutoverStatus): readonly CutoverStatus[] {
  return CUTOVER_MOVES[from];
}

export function canMoveCutover(from: CutoverStatus, to: CutoverStatus): boolean {
  return CUTOVER_MOVES[from].includes(to);
}

/** A move a run transition causes: from whichever of `from` the cutover is in, to `to`. */
export interface CutoverMove {
  from: readonly CutoverStatus[];
  to: CutoverStatus;
}

export interface RunMoveFacts {
  runKind: RunKind;
  /** The status the run is created in or moving to. */
  runTo: RunStatus;
  /** True once a step that touches the app has started (read only for failed/cancelled). */
  touchedApp: boolean;
}

/** The cutover move a run's transition causes, or null: only live runs move their cutover. */
export function cutoverMoveForRun({ runKind, runTo, touchedApp }: RunMoveFacts): CutoverMove | null {
  if (runKind !== "live") return null;
  switch (runTo) {
    // Created or retried: the plan is locked while the live run may change the app.
    case "queued":
      return { from: ["draft", "done"], to: "live" };
    case "succeeded":
    case "needs_attention":
      return { from: ["live"], to: "done" };
    // One that changed the app stays live until it is rolled back.
    case "failed":
    case "cancelled":
      return touchedApp ? null : { from: ["live"], to: "draft" };
    // A finished live run may be rolled back too, so done is released as well.
    case "rolled_back":
      return { from: ["live", "done"], to: "draft" };
    default:
      return null;
  }
}

/** Whether cutoverMoveForRun needs to know if the run touched the app (a database read). */
export function needsTouchedApp(runKind: RunKind, runTo: RunStatus): boolean {
  return runKind === "live" && (runTo === "failed" || runTo === "cancelled");
}
