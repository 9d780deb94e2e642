import { describe, expect, it } from "vitest";
import { downtimeReport, type AttemptFacts } from "./downtime";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { estimateDowntime } from "./downtime-estimate";

const T0 = Date.parse("2025-03-01T02:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000);
const a = (key: string, from: number | null, to: number | null, status = to === null ? "running" : "succeeded"): AttemptFacts => ({
  key,
  status,
  startedAt: from === null ? null : at(from),
  finishedAt: to === null ? null : at(to),
});

/** A finished live run: preflight and gate before maintenance; 1 s idle between most steps. */
const finishedRun: AttemptFacts[] = [
  a("preflight", -120, -100),
  a("gate", -100, -10),
  a("maintenance_on", 0, 2),
  a("scale_down", 3, 5),
  a("write_freeze", 6, 12),
  a("copy", 13, 40, "failed"),
  a("copy", 41, 101),
  a("verify", 102, 110),
  a("switch", 111, 115),
  a("restore_formation", 116, 118),
  a("maintenance_off", 119, 120),
  a("smoke", 121, 130),
];

describe("downtimeReport", () => {
  it("measures from the start of maintenance_on to the end of maintenance_off, split by step", () => {
    const r = downtimeReport({ attempts: finishedRun, runFinishedAt: at(130), estimatedCopyMs: 50_000, now: at(999) });
    expect(r).toMatchObject({ since: at(0), until: at(120), endedBy: "maintenance_off", ongoing: false, totalMs: 120_000 });
    expect(r.steps).toEqual([
      { key: "maintenance_on", attempts: 1, ms: 2_000 },
      { key: "scale_down", attempts: 1, ms: 2_000 },
      { key: "write_freeze", attempts: 1, ms: 6_000 },
      { key: "copy", attempts: 2, ms: 87_000 },
      { key: "verify", attempts: 1, ms: 8_000 },
      { key: "switch", attempts: 1, ms: 4_000 },
      { key: "restore_formation", attempts: 1, ms: 2_000 },
      { key: "maintenance_off", attempts: 1, ms: 1_000 },
    ]);
    // 120 s in total, 112 s inside steps: 8 one-second gaps between them.
    expect(r.betweenStepsMs).toBe(8_000);
    expect(r.copy).toEqual({ estimatedMs: 50_000, measuredMs: 60_000, differenceMs: 10_000 });
  });

  it("runs until now while maintenance is still on, counting the running step up to now", () => {
    const attempts = [a("preflight", -60, -50), a("maintenance_on", 0, 2), a("scale_down", 2, 4), a("copy", 4, null)];
    const r = downtimeReport({ attempts, runFinishedAt: null, estimatedCopyMs: 30_000, now: at(64) });
    expect(r).toMatchObject({ since: at(0), until: at(64), endedBy: "now", ongoing: true, totalMs: 64_000, betweenStepsMs: 0 });
    expect(r.steps).toEqual([
      { key: "maintenance_on", attempts: 1, ms: 2_000 },
      { key: "scale_down", attempts: 1, ms: 2_000 },
      { key: "copy", attempts: 1, ms: 60_000 },
    ]);
    expect(r.copy).toEqual({ estimatedMs: 30_000, measuredMs: null, differenceMs: null });
  });

  it("ends at the run's end when maintenance_off never finished", () => {
    const attempts = [a("maintenance_on", 10, 12), a("copy", 12, 30, "failed"), a("maintenance_off", null, null, "pending")];
    const r = downtimeReport({ attempts, runFinishedAt: at(31), estimatedCopyMs: null, now: at(500) });
    expect(r).toMatchObject({ since: at(10), until: at(31), endedBy: "run_end", ongoing: false, totalMs: 21_000, betweenStepsMs: 1_000 });
    expect(r.steps).toEqual([
      { key: "maintenance_on", attempts: 1, ms: 2_000 },
      { key: "copy", attempts: 1, ms: 18_000 },
    ]);
  });

  it("ends at a rollback's maintenance off when the forward one never ran", () => {
    const attempts = [a("maintenance_on", 0, 1), a("switch", 1, 5, "failed")];
    const rollbackAttempts = [a("rollback_maintenance_on", 6, 7), a("undo_switch", 7, 9), a("rollback_maintenance_off", 9, 10), a("rollback_smoke", 10, 12)];
    const r = downtimeReport({ attempts, rollbackAttempts, runFinishedAt: at(12), estimatedCopyMs: 1, now: at(100) });
    expect(r).toMatchObject({ endedBy: "rollback_maintenance_off", until: at(10), totalMs: 10_000, betweenStepsMs: 1_000 });
    expect(r.steps.map((s) => s.key)).toEqual(["maintenance_on", "switch", "rollback_maintenance_on", "undo_switch", "rollback_maintenance_off"]);
  });

  it("uses the earliest maintenance_on attempt and the succeeded maintenance_off", () => {
    const attempts = [
      a("maintenance_on", 0, 1, "failed"),
      a("maintenance_on", 2, 3),
      a("maintenance_off", 10, 11, "failed"),
      a("maintenance_off", 12, 14),
    ];
    const r = downtimeReport({ attempts, runFinishedAt: null, estimatedCopyMs: null, now: at(20) });
    expect(r).toMatchObject({ since: at(0), until: at(14), endedBy: "maintenance_off", totalMs: 14_000 });
    expect(r.steps).toEqual([
      { key: "maintenance_on", attempts: 2, ms: 2_000 },
      { key: "maintenance_off", attempts: 2, ms: 3_000 },
    ]);
    expect(r.betweenStepsMs).toBe(9_000);
  });

  it("reports no downtime when maintenance never started (a preflight, or a run stopped at the gate)", () => {
    const r = downtimeReport({ attempts: [a("preflight", 0, 5), a("gate", 5, null)], runFinishedAt: null, estimatedCopyMs: 42_000, now: at(60) });
    expect(r).toEqual({
      since: null,
      until: null,
      endedBy: null,
      ongoing: false,
      totalMs: 0,
      steps: [],
      betweenStepsMs: 0,
      estimate: null,
      copy: { estimatedMs: 42_000, measuredMs: null, differenceMs: null },
    });
  });

  it("carries the preflight's step-by-step estimate beside the measured figures", () => {
    const estimate = estimateDowntime({ steps: defaultPlanSteps(), copyMs: 50_000, basis: "rehearsal" });
    expect(estimate.steps.map((s) => s.key)).toEqual(["maintenance_on", "scale_down", "write_freeze", "copy", "verify", "switch", "restore_formation", "maintenance_off"]);
    expect(estimate.totalMs).toBe(2_000 + 3_000 + 5_000 + 50_000 + 7_500 + 10_000 + 3_000 + 2_000);
    const r = downtimeReport({ attempts: finishedRun, runFinishedAt: at(130), estimatedCopyMs: 50_000, estimate, now: at(999) });
    expect(r.estimate).toEqual(estimate);
    expect(r.totalMs).toBe(120_000);
  });
});
