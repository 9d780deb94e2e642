import { describe, expect, it } from "vitest";
import { isKnownTimeZone, offsetWithName, timeZoneChoices, wallTimeIn, zonedToUtc } from "./zoned";

describe("wall times in a zone", () => {
  it("converts to the right instant on both sides of a DST change", () => {
    expect(zonedToUtc("2026-01-15T22:00", "Europe/Berlin")).toEqual({ ok: true, instant: new Date("2026-01-15T21:00:00Z"), ambiguous: false });
    expect(zonedToUtc("2026-07-15T22:00", "Europe/Berlin")).toEqual({ ok: true, instant: new Date("2026-07-15T20:00:00Z"), ambiguous: false });
    expect(zonedToUtc("2026-11-21T09:30", "America/New_York")).toEqual({ ok: true, instant: new Date("2026-11-21T14:30:00Z"), ambiguous: false });
    expect(zonedToUtc("2026-11-21T09:30", "UTC")).toEqual({ ok: true, instant: new Date("2026-11-21T09:30:00Z"), ambiguous: false });
    // Just before and just after the spring-forward gap.
    expect(zonedToUtc("2026-03-29T01:59", "Europe/Berlin")).toMatchObject({ ok: true, instant: new Date("2026-03-29T00:59:00Z") });
    expect(zonedToUtc("2026-03-29T03:00", "Europe/Berlin")).toMatchObject({ ok: true, instant: new Date("2026-03-29T01:00:00Z") });
  });

  it("refuses a wall time the clocks skip, naming what the clock reads instead", () => {
    const skipped = zonedToUtc("2026-03-29T02:30", "Europe/Berlin");
    expect(skipped.ok).toBe(false);
    expect(!skipped.ok && skipped.message).toBe(
      "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks skip it for daylight saving time (that instant reads 03:30); pick another time",
    );
    expect(zonedToUtc("2026-03-08T02:30", "America/New_York")).toMatchObject({ ok: false });
    // Southern hemisphere (October) and a 30-minute DST shift.
    expect(zonedToUtc("2026-10-04T02:30", "Australia/Sydney")).toMatchObject({ ok: false });
    const lordHowe = zonedToUtc("2026-10-04T02:15", "Australia/Lord_Howe");
    expect(!lordHowe.ok && lordHowe.message).toMatch(/reads 02:45/);
  });

  it("takes the earlier of a wall time the clocks repeat, and says it was ambiguous", () => {
    expect(zonedToUtc("2026-10-25T02:30", "Europe/Berlin")).toEqual({ ok: true, instant: new Date("2026-10-25T00:30:00Z"), ambiguous: true });
    expect(zonedToUtc("2026-11-01T01:30", "America/New_York")).toEqual({ ok: true, instant: new Date("2026-11-01T05:30:00Z"), ambiguous: true });
    expect(zonedToUtc("2026-04-05T02:30", "Australia/Sydney")).toEqual({ ok: true, instant: new Date("2026-04-04T15:30:00Z"), ambiguous: true });
  });

  it("refuses malformed input with a message, never an exception", () => {
    expect(zonedToUtc("tomorrow", "UTC")).toEqual({ ok: false, message: "must be a date and time such as 2026-11-21T22:00" });
    expect(zonedToUtc("2026-02-30T10:00", "UTC")).toEqual({ ok: false, message: "2026-02-30 10:00 is not a calendar date and time" });
    expect(zonedToUtc("2026-07-01T12:00", "Mars/Olympus")).toEqual({ ok: false, message: "cannot be converted: Mars/Olympus is not an IANA time zone" });
  });

  it("round-trips and names the offset for that date", () => {
    const at = new Date("2026-07-01T12:00:00Z");
    expect(wallTimeIn(at, "Asia/Kolkata")).toBe("2026-07-01T17:30");
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]) {
      const wall = wallTimeIn(at, zone);
      expect(zonedToUtc(wall, zone)).toMatchObject({ ok: true, instant: at });
    }
    expect(offsetWithName(at, "Europe/Berlin")).toBe("UTC+02:00 (CEST)");
    expect(offsetWithName(new Date("2026-01-01T12:00:00Z"), "Europe/Berlin")).toBe("UTC+01:00 (CET)");
    expect(offsetWithName(at, "America/New_York")).toBe("UTC-04:00 (EDT)");
    expect(offsetWithName(at, "Asia/Kolkata")).toBe("UTC+05:30");
    expect(offsetWithName(at, "UTC")).toBe("UTC+00:00");
  });

  it("lists the runtime's zones with the current one always present", () => {
    expect(timeZoneChoices("Europe/Berlin")).toContain("America/New_York");
    expect(timeZoneChoices("UTC")[0]).toBe("UTC");
    expect(isKnownTimeZone("Europe/Berlin")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus")).toBe(false);
  });
});
