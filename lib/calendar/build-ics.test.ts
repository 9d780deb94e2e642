import { describe, expect, it } from "vitest";
import { cutoverEventUid, cutoverIcs, type CalendarCutover } from "./build-ics";

const plan: CalendarCutover = {
  id: "11111111-1111-4111-8111-111111111111",
  name: "Move shop",
  app: "acme-web",
  status: "draft",
  version: 4,
  planHash: "c".repeat(64),
  windowStartsAt: new Date("2026-12-01T22:00:00Z"),
  windowEndsAt: new Date("2026-12-01T23:30:00Z"),
  timeZone: "Europe/Berlin",
  updatedAt: new Date("2026-11-20T10:00:00Z"),
};

/** Unfolded content lines (RFC 5545 folds long ones with CRLF + space). */
const lines = (ics: string) => ics.replace(/\r?\n[ \t]/g, "").split(/\r?\n/).filter(Boolean);

describe("a cutover's calendar file", () => {
  it("has one VEVENT in UTC with a stable UID, SEQUENCE = plan version, the summary and a description naming the version, hash, zone and link", () => {
    const ics = cutoverIcs(plan, "https://sy.example.com/");
    const l = lines(ics);
    expect(l[0]).toBe("BEGIN:VCALENDAR");
    expect(l.filter((x) => x === "BEGIN:VEVENT")).toHaveLength(1);
    expect(l).toContain(`UID:${cutoverEventUid(plan.id)}`);
    expect(l).toContain("SEQUENCE:4");
    expect(l).toContain("DTSTART:20261201T220000Z");
    expect(l).toContain("DTEND:20261201T233000Z");
    expect(l).toContain("SUMMARY:Cutover: Move shop (acme-web)");
    expect(l).toContain("STATUS:CONFIRMED");
    const description = l.find((x) => x.startsWith("DESCRIPTION:"))!;
    expect(description).toContain("Plan version 4\\, hash " + "c".repeat(64));
    expect(description).toContain("Europe/Berlin");
    expect(description).toContain("23:00");
    expect(description).toContain(`https://sy.example.com/cutovers/${plan.id}`);
    expect(l).toContain(`URL;VALUE=URI:https://sy.example.com/cutovers/${plan.id}`);
  });

  it("keeps the UID across versions, cancels the event of an archived plan, and has no event without a window", () => {
    const next = lines(cutoverIcs({ ...plan, version: 5, status: "archived" }, null));
    expect(next).toContain(`UID:${cutoverEventUid(plan.id)}`);
    expect(next).toContain("SEQUENCE:5");
    expect(next).toContain("STATUS:CANCELLED");
    expect(next.some((x) => x.startsWith("URL"))).toBe(false);
    const none = lines(cutoverIcs({ ...plan, windowStartsAt: null, windowEndsAt: null }, null));
    expect(none).toContain("BEGIN:VCALENDAR");
    expect(none).not.toContain("BEGIN:VEVENT");
  });
});
