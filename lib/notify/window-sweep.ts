import type { Db } from "@/lib/db/client";
import { enqueueNotifications } from "./enqueue";

// The longest lead time a channel may choose (the plan schema's limit): nothing further out can be due.
const MAX_LEAD_MS = 10_080 * 60_000;

export const windowOpensKey = (windowStartsAt: Date) => `window_opens:${windowStartsAt.toISOString()}`;

/**
 * Queues "window_opens" for every channel whose cutover's window (draft or live plans) starts
 * within the channel's lead time and has not been announced for this start time; a moved window
 * is announced again. Run by the worker's notifier; two workers at once queue it once.
 */
export async function enqueueWindowOpens(db: Db, now: Date): Promise<number> {
  const channels = await db.notificationChannel.findMany({
    where: {
      events: { has: "window_opens" },
      cutover: { status: { in: ["draft", "live"] }, windowStartsAt: { gt: now, lte: new Date(now.getTime() + MAX_LEAD_MS) } },
    },
    select: { id: true, windowLeadMinutes: true, cutover: { select: { id: true, windowStartsAt: true, windowEndsAt: true, timeZone: true } } },
  });
  const due = channels.filter((ch) => ch.cutover.windowStartsAt!.getTime() - ch.windowLeadMinutes * 60_000 <= now.getTime());
  if (due.length === 0) return 0;
  const announced = await db.notificationDelivery.findMany({
    where: { OR: due.map((ch) => ({ channelId: ch.id, dedupeKey: windowOpensKey(ch.cutover.windowStartsAt!) })) },
    select: { channelId: true },
  });
  const done = new Set(announced.map((d) => d.channelId));
  let queued = 0;
  for (const ch of due.filter((c) => !done.has(c.id))) {
    const start = ch.cutover.windowStartsAt!;
    const minutes = Math.max(1, Math.ceil((start.getTime() - now.getTime()) / 60_000));
    queued += await db.$transaction((tx) =>
      enqueueNotifications(tx, {
        cause: "event",
        cutoverId: ch.cutover.id,
        channelIds: [ch.id],
        dedupeKey: windowOpensKey(start),
        facts: { event: "window_opens", windowStartsAt: start, windowEndsAt: ch.cutover.windowEndsAt, timeZone: ch.cutover.timeZone, minutes },
        at: now,
      }),
    );
  }
  return queued;
}
