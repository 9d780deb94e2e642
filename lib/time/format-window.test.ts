import { describe, expect, it } from "vitest";
import { formatWindowIn, utcOffsetLabel, windowLabels } from "./format-window";

describe("window formatting", () => {
  it("gives DST-aware offsets for the instant asked about", () => {
    expect(utcOffsetLabel(new Date("2026-01-15T12:00:00Z"), "Europe/Berlin")).toBe("UTC+01:00");
    expect(utcOffsetLabel(new Date("2026-07-15T12:00:00Z"), "Europe/Berlin")).toBe("UTC+02:00");
    expect(utcOffsetLabel(new Date("2026-07-15T12:00:00Z"), "UTC")).toBe("UTC+00:00");
    expect(utcOffsetLabel(new Date("2026-07-15T12:00:00Z"), "Asia/Kolkata")).toBe("UTC+05:30");
  });

  it("shows a same-day window with one date", () => {
    const text = formatWindowIn(new Date("2026-11-21T21:00:00Z"), new Date("2026-11-21T22:30:00Z"), "Europe/Berlin");
    expect(text).toBe("Sat, 21 Nov 2026, 22:00–23:30 (UTC+01:00)");
  });

  it("shows both dates when the window crosses midnight in that zone", () => {
    const text = formatWindowIn(new Date("2026-11-21T22:30:00Z"), new Date("2026-11-22T00:30:00Z"), "UTC");
    expect(text).toBe("Sat, 21 Nov 2026, 22:30–Sun, 22 Nov 2026, 00:30 (UTC+00:00)");
  });

  it("adds the plan's zone only when it differs from the viewer's", () => {
    const start = "2026-11-21T21:00:00Z";
    const end = "2026-11-21T22:00:00Z";
    expect(windowLabels(start, end, "Europe/Berlin", "Europe/Paris").plan).toBeNull();
    expect(windowLabels(start, end, "Europe/Berlin", "America/New_York")).toEqual({
      viewer: "Sat, 21 Nov 2026, 16:00–17:00 (UTC-05:00)",
      plan: "Sat, 21 Nov 2026, 22:00–23:00 (UTC+01:00) Europe/Berlin",
    });
  });
});
