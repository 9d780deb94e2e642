// Wall-clock times in an IANA zone ↔ UTC instants, for the plan form's window inputs
// (<input type="datetime-local"> gives "YYYY-MM-DDTHH:mm" with no zone). DST-safe.
import { utcOffsetLabel } from "./format-window";

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export type ZonedResult =
  | { ok: true; instant: Date; /** The wall time occurs twice (clocks go back); the earlier is used. */ ambiguous: boolean }
  | { ok: false; message: string };

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
 * refused with a message; one that occurs twice resolves to the earlier instant and says so.
 */
export function zonedToUtc(wall: string, timeZone: string): ZonedResult {
  const m = WALL.exec(wall);
  if (!m) return { ok: false, message: "must be a date and time such as 2026-11-21T22:00" };
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The zone's offset is one of at most two values near this date; try both around the guess.
  const offsets = new Set([offsetMinutes(new Date(asUtc - 86_400_000), timeZone), offsetMinutes(new Date(asUtc + 86_400_000), timeZone), offsetMinutes(new Date(asUtc), timeZone)]);
  const matches = [...offsets]
    .map((off) => new Date(asUtc - off * 60_000))
    .filter((candidate) => wallTimeIn(candidate, timeZone) === wall)
    .sort((a, b) => a.getTime() - b.getTime());
  if (matches.length === 0) return { ok: false, message: `${wall.replace("T", " ")} does not exist in ${timeZone} (the clocks skip it for daylight saving time); pick a later time` };
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
