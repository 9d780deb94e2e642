import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { inTransaction, type Ctx } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";
import { cutoverIcs, type CalendarCutover } from "./build-ics";

const FEED_PREFIX = "syc_";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const CutoverRef = z.object({ cutoverId: z.string().uuid("must be a cutover id") });

async function calendarCutover(db: Db, where: { id: string }): Promise<CalendarCutover | null> {
  const c = await db.cutover.findUnique({ where, include: { herokuApp: { select: { name: true } } } });
  return c && { ...c, app: c.herokuApp.name };
}

/** The cutover's window as an .ics file, for a signed-in reader. `publicUrl` is the dashboard's, for the link. */
export async function cutoverCalendar({ ctx, input }: { ctx: Ctx; input: { cutoverId: string; publicUrl: string | null } }): Promise<{ cutoverId: string; ics: string }> {
  authorize(ctx, "cutover.read");
  const { cutoverId } = validate(CutoverRef, { cutoverId: input.cutoverId });
  const c = await calendarCutover(ctx.db, { id: cutoverId });
  if (!c) throw notFound("cutover");
  return { cutoverId, ics: cutoverIcs(c, input.publicUrl) };
}

/**
 * The same file for a calendar app that cannot sign in: the feed token is the permission, so no
 * role is checked. An unknown, replaced or malformed token is simply not found.
 */
export async function calendarFeed({ ctx, input }: { ctx: Ctx; input: { token: string; publicUrl: string | null } }): Promise<{ cutoverId: string; ics: string }> {
  const token = input.token;
  if (!token.startsWith(FEED_PREFIX) || token.length > 200) throw notFound("calendar feed");
  const feed = await ctx.db.calendarFeed.findUnique({ where: { tokenHash: hashToken(token) }, select: { cutoverId: true } });
  if (!feed) throw notFound("calendar feed");
  const c = await calendarCutover(ctx.db, { id: feed.cutoverId });
  if (!c) throw notFound("calendar feed");
  return { cutoverId: c.id, ics: cutoverIcs(c, input.publicUrl) };
}

/**
 * Creates the cutover's calendar feed URL, replacing any earlier one (which stops working). The
 * token is in the answer once; only its sha256 is kept, as for API tokens.
 */
export async function createCalendarFeed({ ctx, input }: { ctx: Ctx; input: { cutoverId: string; publicUrl: string } }) {
  // Whoever holds the URL reads the plan's name, app and window without signing in: sharing it is a planner's call.
  authorize(ctx, "cutover.edit");
  const { cutoverId } = validate(CutoverRef, { cutoverId: input.cutoverId });
  const token = `${FEED_PREFIX}${randomBytes(30).toString("base64url")}`;
  return inTransaction(ctx, async (tx) => {
    const cutover = await tx.cutover.findUnique({ where: { id: cutoverId }, select: { id: true } });
    if (!cutover) throw notFound("cutover");
    const data = { tokenHash: hashToken(token), prefix: token.slice(0, 10), createdById: ctx.actor.type === "user" ? ctx.actor.id : null, createdAt: ctx.now() };
    const replaced = await tx.calendarFeed.findUnique({ where: { cutoverId }, select: { prefix: true } });
    const feed = await tx.calendarFeed.upsert({ where: { cutoverId }, create: { cutoverId, ...data }, update: data });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "calendar_feed.create",
      entityType: "cutover",
      entityId: cutoverId,
      before: replaced ? { prefix: replaced.prefix } : undefined,
      after: { prefix: feed.prefix },
      secrets: [token],
      at: ctx.now(),
    });
    return { cutoverId, prefix: feed.prefix, createdAt: feed.createdAt, url: `${input.publicUrl.replace(/\/+$/, "")}/api/calendar/${token}.ics`, token };
  });
}
