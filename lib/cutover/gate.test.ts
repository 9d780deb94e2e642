import { describe, expect, it } from "vitest";
import { evaluateGate, type GateFacts } from "./gate";

const base: GateFacts = {
  now: new Date("2026-11-21T22:00:00Z"),
  windowStartsAt: new Date("2026-11-21T21:00:00Z"),
  windowEndsAt: new Date("2026-11-21T23:00:00Z"),
  requiredApprovals: 2,
  approverIds: ["a", "b"],
  rejections: 0,
  operatorId: "op",
};

describe("gate", () => {
  it("holds inside the window with enough approvals", () => {
    expect(evaluateGate(base)).toEqual({ ok: true, reasons: [] });
  });
  it("says why when the window is not open or not scheduled", () => {
    expect(evaluateGate({ ...base, now: new Date("2026-11-21T20:00:00Z") }).reasons).toEqual(["the window opens at 2026-11-21T21:00:00.000Z"]);
    expect(evaluateGate({ ...base, now: new Date("2026-11-21T23:00:00Z") }).reasons).toEqual(["the window closed at 2026-11-21T23:00:00.000Z"]);
    expect(evaluateGate({ ...base, windowStartsAt: null }).reasons).toEqual(["the maintenance window is not scheduled"]);
  });
  it("counts distinct approvers and refuses an operator approving alone", () => {
    expect(evaluateGate({ ...base, approverIds: ["a", "a"] }).reasons).toEqual(["1 of 2 required sign-offs for this plan version"]);
    expect(evaluateGate({ ...base, requiredApprovals: 1, approverIds: ["op"] }).reasons).toEqual(["the operator cannot be the only approver"]);
    expect(evaluateGate({ ...base, requiredApprovals: 1, approverIds: ["op", "a"] }).ok).toBe(true);
  });
  it("is blocked by a rejection", () => {
    expect(evaluateGate({ ...base, rejections: 1 }).reasons).toEqual(["1 approver(s) rejected this plan version"]);
  });
});
