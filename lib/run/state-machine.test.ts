import { describe, expect, it } from "vitest";
import {
  RUN_KINDS,
  RUN_STATUSES,
  STEP_STATUSES,
  canCancel,
  canMoveRun,
  canMoveStep,
  canRetry,
  canRollback,
  canStart,
  isStepFinished,
  isTerminal,
  mustRunStep,
  type RunStatus,
  type StepStatus,
} from "./state-machine";

// The full table, written out independently of the module, so every pair is checked both ways.
const ALLOWED_RUN: Record<RunStatus, RunStatus[]> = {
  queued: ["running", "cancelled"],
  running: ["succeeded", "needs_attention", "failed", "cancelling", "rolling_back"],
  cancelling: ["cancelled", "failed"],
  cancelled: ["queued", "rolling_back"],
  failed: ["queued", "rolling_back"],
  needs_attention: ["succeeded", "rolling_back"],
  succeeded: ["rolling_back"],
  rolling_back: ["rolled_back", "rollback_failed"],
  rollback_failed: ["rolling_back"],
  rolled_back: [],
};

const ALLOWED_STEP: Record<StepStatus, StepStatus[]> = {
  pending: ["running", "skipped", "cancelled"],
  running: ["succeeded", "failed", "cancelled", "abandoned"],
  succeeded: [],
  failed: [],
  skipped: [],
  cancelled: [],
  abandoned: [],
};

describe("run transitions", () => {
  for (const from of RUN_STATUSES) {
    for (const to of RUN_STATUSES) {
      const allowed = ALLOWED_RUN[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? "allowed" : "forbidden"}`, () => {
        expect(canMoveRun(from, to)).toBe(allowed);
      });
    }
  }
});

describe("step transitions", () => {
  for (const from of STEP_STATUSES) {
    for (const to of STEP_STATUSES) {
      const allowed = ALLOWED_STEP[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? "allowed" : "forbidden"}`, () => {
        expect(canMoveStep(from, to)).toBe(allowed);
      });
    }
  }
});

describe("predicates", () => {
  it("terminal statuses are those no worker acts on", () => {
    const terminal = RUN_STATUSES.filter(isTerminal);
    expect(terminal.sort()).toEqual(
      ["cancelled", "failed", "needs_attention", "rolled_back", "rollback_failed", "succeeded"].sort(),
    );
  });

  it("only a queued run can start", () => {
    expect(RUN_STATUSES.filter(canStart)).toEqual(["queued"]);
  });

  it("queued and running runs can be cancelled", () => {
    expect(RUN_STATUSES.filter(canCancel)).toEqual(["queued", "running"]);
  });

  it("failed and cancelled runs can be retried", () => {
    expect(RUN_STATUSES.filter(canRetry)).toEqual(["cancelled", "failed"]);
  });

  it("rollback needs a live run that touched the app, in a state that allows it", () => {
    const offered = RUN_STATUSES.filter((status) => canRollback({ status, kind: "live", touchedApp: true }));
    expect(offered).toEqual(["running", "cancelled", "succeeded", "needs_attention", "failed", "rollback_failed"]);
    for (const status of RUN_STATUSES) {
      expect(canRollback({ status, kind: "live", touchedApp: false })).toBe(false);
      expect(canRollback({ status, kind: "rehearsal", touchedApp: true })).toBe(false);
    }
  });

  it("finished steps accept no further move; succeeded and skipped steps never run again", () => {
    expect(STEP_STATUSES.filter(isStepFinished)).toEqual(["succeeded", "failed", "skipped", "cancelled", "abandoned"]);
    expect(mustRunStep("succeeded")).toBe(false);
    expect(mustRunStep("skipped")).toBe(false);
    expect(mustRunStep(undefined)).toBe(true);
    expect(mustRunStep("failed")).toBe(true);
    expect(mustRunStep("abandoned")).toBe(true);
  });
});

describe("the database enums match the state machine", () => {
  it("has the same run and step statuses as the Prisma schema", async () => {
    const enums = await import("@/lib/generated/prisma/enums");
    expect(Object.values(enums.RunStatus)).toEqual([...RUN_STATUSES]);
    expect(Object.values(enums.StepStatus)).toEqual([...STEP_STATUSES]);
    expect(Object.values(enums.RunKind)).toEqual([...RUN_KINDS]);
  });
});
