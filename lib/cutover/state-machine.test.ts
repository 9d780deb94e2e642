import { describe, expect, it } from "vitest";
import { RUN_STATUSES } from "@/lib/run/state-machine";
import { CUTOVER_STATUSES, allowedCutoverMoves, canMoveCutover, cutoverMoveForRun, needsTouchedApp } from "./state-machine";

describe("canMoveCutover", () => {
  it("allows the moves runs cause and archiving, nothing out of archived", () => {
    expect(canMoveCutover("draft", "live")).toBe(true);
    expect(canMoveCutover("live", "done")).toBe(true);
    expect(canMoveCutover("live", "draft")).toBe(true);
    expect(canMoveCutover("done", "draft")).toBe(true);
    expect(canMoveCutover("done", "live")).toBe(true);
    expect(canMoveCutover("draft", "archived")).toBe(true);
    for (const to of CUTOVER_STATUSES) expect(canMoveCutover("archived", to)).toBe(false);
  });

  it("refuses skipping the live run and archiving a live plan", () => {
    expect(canMoveCutover("draft", "done")).toBe(false);
    expect(canMoveCutover("live", "archived")).toBe(false);
  });

  it("never allows a move to the same status", () => {
    for (const s of CUTOVER_STATUSES) expect(allowedCutoverMoves(s)).not.toContain(s);
  });
});

describe("cutoverMoveForRun", () => {
  const live = (runTo: (typeof RUN_STATUSES)[number], touchedApp = false) => cutoverMoveForRun({ runKind: "live", runTo, touchedApp });

  it("locks the plan when a live run is queued", () => {
    expect(live("queued")).toEqual({ from: ["draft", "done"], to: "live" });
  });

  it("marks the cutover done when the live run succeeds or needs attention", () => {
    expect(live("succeeded")).toEqual({ from: ["live"], to: "done" });
    expect(live("needs_attention")).toEqual({ from: ["live"], to: "done" });
  });

  it("releases the plan for a failed or cancelled run that did not touch the app", () => {
    expect(live("failed")).toEqual({ from: ["live"], to: "draft" });
    expect(live("cancelled")).toEqual({ from: ["live"], to: "draft" });
  });

  it("keeps the cutover live when the failed or cancelled run touched the app", () => {
    expect(live("failed", true)).toBeNull();
    expect(live("cancelled", true)).toBeNull();
  });

  it("releases the plan once the live run is rolled back, even after it finished", () => {
    expect(live("rolled_back", true)).toEqual({ from: ["live", "done"], to: "draft" });
  });

  it("leaves the cutover alone for the other statuses", () => {
    for (const s of ["running", "cancelling", "rolling_back", "rollback_failed"] as const) expect(live(s, true)).toBeNull();
  });

  it("never moves the cutover for rehearsals and preflights", () => {
    for (const runKind of ["rehearsal", "preflight"] as const) {
      for (const runTo of RUN_STATUSES) expect(cutoverMoveForRun({ runKind, runTo, touchedApp: false })).toBeNull();
    }
  });

  it("every move it returns is one the table allows", () => {
    for (const runTo of RUN_STATUSES) {
      for (const touchedApp of [false, true]) {
        const move = cutoverMoveForRun({ runKind: "live", runTo, touchedApp });
        for (const from of move?.from ?? []) expect(canMoveCutover(from, move!.to), `${from}->${move!.to}`).toBe(true);
      }
    }
  });

  it("asks whether the run touched the app only when the answer matters", () => {
    expect(needsTouchedApp("live", "failed")).toBe(true);
    expect(needsTouchedApp("live", "cancelled")).toBe(true);
    expect(needsTouchedApp("live", "succeeded")).toBe(false);
    expect(needsTouchedApp("rehearsal", "failed")).toBe(false);
  });
});
