import ical, { ICalEventStatus } from "ical-generator";
import { formatWindowIn } from "@/lib/time/format-window";

/** What a cutover's calendar entry is made of. */
export interface CalendarCutover {
  id: string;
  name: string;
  app: string;
  status: string;
  version: number;
  planHash: string;
  windowStartsAt: Date | null;
  windowEndsAt: Date | null;
  timeZone: string;
  updatedAt: Date;
}

/** Stable per cutover, so calendars update the same entry when the plan changes. */
export const cutoverEventUid = (cutoverId: string) => `cutover-${cutoverId}@switchyard`;

/**
 * The cutover's maintenance window as an iCalendar file: one VEVENT with the times in UTC (the
 * plan's zone named in the description), SEQUENCE = plan version so each edit supersedes the last,
 * CANCELLED once the plan is archived. A plan without a window gives a calendar with no event.
 */
export function cutoverIcs(c: CalendarCutover, publicUrl: string | null): string {
  const link = publicUrl ? `${publicUrl.replace(/\/+$/, "")}/cutovers/${c.id}` : null;
  const calendar = ical({ name: `Switchyard: ${c.name}`, prodId: { company: "Switchyard", product: "cutovers", language: "EN" } });
  if (c.windowStartsAt && c.windowEndsAt) {
    calendar.createEvent({
      id: cutoverEventUid(c.id),
      sequence: c.version,
      stamp: c.updatedAt,
      start: c.windowStartsAt,
      end: c.windowEndsAt,
      summary: `Cutover: ${c.name} (${c.app})`,
      description: [
        `Maintenance window of the Switchyard cutover "${c.name}" for ${c.app}: the app is in maintenance mode while its database moves.`,
        `Plan version ${c.version}, hash ${c.planHash}.`,
        `In the plan's time zone (${c.timeZone}): ${formatWindowIn(c.windowStartsAt, c.windowEndsAt, c.timeZone)}. This entry's times are UTC.`,
        ...(link ? [link] : []),
      ].join("\n"),
      url: link,
      status: c.status === "archived" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
