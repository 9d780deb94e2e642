// Wall-clock times in an IANA zone ↔ UTC instants, for the plan form's window inputs
// (<input type="datetime-local"> gives "YYYY-MM-DDTHH:mm" with no zone). DST-safe.
import { utcOffsetLabel } from "./format-window";

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export type ZonedResult =
  | { ok: true; instant: Date; /** The wall time occurs twice (clocks go back); the earlier is used. */ ambiguous: boolean }
  | { ok: false; message: string };

/** Whether the runtime knows the zone (the server checks the same way). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the runtime knows, with `include` first when the list lacks it (e.g. "UTC"). */
export function timeZoneChoices(include: string): string[] {
  let zones: string[];
  try {
    zones = (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  return zones.includes(include) ? zones : [include, ...zones];
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const m = /UTC([+-])(\d{2}):(\d{2})/.exec(utcOffsetLabel(at, timeZone));
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** "YYYY-MM-DDTHH:mm" of an instant as a clock in the zone shows it. */
export function wallTimeIn(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * The instant at which clocks in `timeZone` show `wall`. A wall time skipped by a DST change is
 * refused with a message naming the time it would be; one that occurs twice resolves to the
 * earlier instant and says so.
 */
export function zonedToUtc(wall: string, timeZone: string): ZonedResult {
  const m = WALL.exec(wall);
  if (!m) return { ok: false, message: "must be a date and time such as 2026-11-21T22:00" };
  if (!isKnownTimeZone(timeZone)) return { ok: false, message: `cannot be converted: ${timeZone} is not an IANA time zone` };
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (new Date(asUtc).toISOString().slice(0, 16) !== wall) return { ok: false, message: `${wall.replace("T", " ")} is not a calendar date and time` };
  // Near one date a zone has at most two offsets (before and after a change): try each.
  const before = offsetMinutes(new Date(asUtc - 86_400_000), timeZone);
  const offsets = new Set([before, offsetMinutes(new Date(asUtc), timeZone), offsetMinutes(new Date(asUtc + 86_400_000), timeZone)]);
  const matches = [...offsets]
    .map((off) => new Date(asUtc - off * 60_000))
    .filter((candidate) => wallTimeIn(candidate, timeZone) === wall)
    .sort((a, b) => a.getTime() - b.getTime());
  if (matches.length === 0) {
    // In a gap, the old offset lands on the wall time the clocks jumped to.
    const jumpedTo = wallTimeIn(new Date(asUtc - before * 60_000), timeZone).slice(11);
    return {
      ok: false,
      message: `${wall.replace("T", " ")} does not exist in ${timeZone}: the clocks skip it for daylight saving time (that instant reads ${jumpedTo}); pick another time`,
    };
  }
  return { ok: true, instant: matches[0]!, ambiguous: new Set(matches.map((d) => d.getTime())).size > 1 };
}

/** "UTC+01:00 (CET)": the offset and the zone's short name at that instant. */
export function offsetWithName(at: Date, timeZone: string): string {
  // Each locale knows abbreviations for its own region's zones only (en-US: EST, en-GB: CET).
  const name = ["en-US", "en-GB"]
    .map((locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value)
    .find((n) => n && !/^GMT|^UTC/.test(n));
  const offset = utcOffsetLabel(at, timeZone);
  return name ? `${offset} (${name})` : offset;
}
