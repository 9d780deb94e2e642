import type { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import type { RunKind } from "@/lib/run/state-machine";

/** How a rollback treats a started step of this kind. */
export type RollbackRole =
  /** Undone, newest first, by the executor's rollback; `says` is what that does, in words. */
  | { kind: "undo"; says: string }
  /** The rollback itself turns maintenance on first and restores it at its end. */
  | { kind: "frame" }
  | { kind: "none" };

/** A decision a person makes on a step that waits for one; `fails` ends the step as failed. */
export interface PersonDecision {
  id: string;
  label: string;
  /** A reason must be given (a skip or a failure says why). */
  needsReason: boolean;
  fails: boolean;
}

/** A step the run pauses at until a person decides; who may, and what they see. */
export interface AwaitsPerson {
  /** What the person is asked about, in a few words. */
  title: string;
  decisions: readonly PersonDecision[];
  /** The role the person must hold (an admin always may). */
  role: Role;
  /** The run's own operator may not decide (an approval by someone else). */
  notTheOperator: boolean;
  /** Markdown shown to everyone watching the run. */
  instructions: string;
  /** Minutes after which the step fails if nobody decided; null waits until a cancel or rollback. */
  timeoutMinutes: number | null;
}

/** What a step's time estimate may build on, measured at preflight. */
export interface EstimateFacts {
  /** The copy's expected duration (a rehearsal's measured rate when there is one). */
  copyMs: number;
}

/**
 * The declarative half of a step kind, shared by the worker (which adds the executor), the API
 * and the UI. Everything that needs to know about a kind reads it here.
 */
export interface StepKindSpec<P = unknown> {
  kind: string;
  /** A short name for lists ("Maintenance mode"). */
  title: string;
  params: z.ZodType<P>;
  /** What the step does, in words, for the plan and the run log. */
  does(params: P): string;
  rollback: RollbackRole;
  /** What the plan view says under "On rollback" for this step. */
  undoes(params: P): string;
  /** Once started, the live app may have been changed, so rollback is offered. */
  touchesApp: boolean;
  /** The run kinds that execute it; others record it as skipped. */
  runsIn: readonly RunKind[];
  /** Expected duration; it counts in the downtime estimate when inside maintenance. */
  estimateMs(params: P, facts: EstimateFacts): number;
  /**
   * "interruptible": a cancel or rollback request stops it mid-step (its child processes are
   * signalled). "finishes_first": the request waits until it ends, because stopping it halfway
   * would leave the app half-changed.
   */
  cancel: "interruptible" | "finishes_first";
  /** Params a core step of this kind may not change (maintenance's `on` says which of its two steps it is). */
  fixedInCore?: readonly string[];
  /** Set for kinds the run pauses at until a person decides (manual tasks, approvals). */
  awaitsPerson?(params: P): AwaitsPerson;
  /** Where an optional step of this kind may go, relative to the core steps (keys of lib/steps/core-plan.ts). */
  placement?: { after?: string; before?: string; why: string };
}

/** Lets each kind file declare its spec with its params' type inferred. */
export function defineStepKind<P>(spec: StepKindSpec<P>): StepKindSpec<P> {
  return spec;
}

/** The parsed params of a kind, as its executor receives them. */
export type ParamsOf<S> = S extends StepKindSpec<infer P> ? P : never;
