/** "UTC+01:00"-style offset of a zone at an instant (DST-aware, since it asks for that instant). */
export function utcOffsetLabel(at: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return part === "GMT" || !part ? "UTC+00:00" : part.replace("GMT", "UTC");
}

function formatInstant(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
}

function formatTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

const sameDay = (a: Date, b: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone }).format(a) === new Intl.DateTimeFormat("en-CA", { timeZone }).format(b);

/** "Sat, 21 Nov 2026, 22:00–23:30 (UTC+01:00)" in one zone. */
export function formatWindowIn(start: Date, end: Date, timeZone: string): string {
  const endText = sameDay(start, end, timeZone) ? formatTime(end, timeZone) : formatInstant(end, timeZone);
  return `${formatInstant(start, timeZone)}–${endText} (${utcOffsetLabel(start, timeZone)})`;
}

export interface WindowLabels {
  viewer: string;
  /** Present only when the plan's zone shows a different offset from the viewer's. */
  plan: string | null;
}

/** The window in the viewer's zone, plus the plan's own zone when it differs. */
export function windowLabels(startIso: string, endIso: string, planZone: string, viewerZone: string): WindowLabels {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const viewer = formatWindowIn(start, end, viewerZone);
  const differs = utcOffsetLabel(start, planZone) !== utcOffsetLabel(start, viewerZone);
  return { viewer, plan: differs ? `${formatWindowIn(start, end, planZone)} ${planZone}` : null };
}
