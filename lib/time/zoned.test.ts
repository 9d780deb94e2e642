import { describe, expect, it } from "vitest";
import { offsetWithName, wallTimeIn, zonedToUtc } from "./zoned";

describe("wall times in a zone", () => {
  it("converts to the right instant on both sides of a DST change", () => {
    expect(zonedToUtc("2026-01-15T22:00", "Europe/Berlin")).toEqual({ ok: true, instant: new Date("2026-01-15T21:00:00Z"), ambiguous: false });
    expect(zonedToUtc("2026-07-15T22:00", "Europe/Berlin")).toEqual({ ok: true, instant: new Date("2026-07-15T20:00:00Z"), ambiguous: false });
    expect(zonedToUtc("2026-11-21T09:30", "America/New_York")).toEqual({ ok: true, instant: new Date("2026-11-21T14:30:00Z"), ambiguous: false });
    expect(zonedToUtc("2026-11-21T09:30", "UTC")).toEqual({ ok: true, instant: new Date("2026-11-21T09:30:00Z"), ambiguous: false });
  });

  it("refuses a wall time the clocks skip, and takes the earlier of one they repeat", () => {
    const skipped = zonedToUtc("2026-03-29T02:30", "Europe/Berlin");
    expect(skipped.ok).toBe(false);
    expect(!skipped.ok && skipped.message).toMatch(/does not exist in Europe\/Berlin/);
    expect(zonedToUtc("2026-10-25T02:30", "Europe/Berlin")).toEqual({ ok: true, instant: new Date("2026-10-25T00:30:00Z"), ambiguous: true });
  });

  it("round-trips and names the offset", () => {
    const at = new Date("2026-07-01T12:00:00Z");
    expect(wallTimeIn(at, "Asia/Kolkata")).toBe("2026-07-01T17:30");
    expect(offsetWithName(at, "Europe/Berlin")).toBe("UTC+02:00 (CEST)");
    expect(offsetWithName(new Date("2026-01-01T12:00:00Z"), "Europe/Berlin")).toBe("UTC+01:00 (CET)");
    expect(offsetWithName(at, "UTC")).toBe("UTC+00:00");
    expect(zonedToUtc("tomorrow", "UTC")).toMatchObject({ ok: false });
  });
});
