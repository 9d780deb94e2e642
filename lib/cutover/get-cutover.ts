import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { describeSteps } from "@/lib/steps/describe-steps";
import { validate } from "@/lib/validate";
import { cutoverGate } from "./gate";
import { planInsights } from "./plan-insights";

/** One plan with its steps, current sign-offs and recent runs; secrets only as masked display text. */
export async function getCutover({ ctx, input }: { ctx: Ctx; input: { cutoverId: string } }) {
  authorize(ctx, "cutover.read");
  const { cutoverId } = validate(z.object({ cutoverId: z.string().uuid("must be a cutover id") }), input);
  const c = await ctx.db.cutover.findUnique({
    where: { id: cutoverId },
    include: {
      herokuApp: { select: { id: true, name: true, apiBaseUrl: true } },
      steps: { orderBy: { position: "asc" }, select: { key: true, kind: true, params: true, description: true, position: true } },
      signOffs: { orderBy: { createdAt: "asc" }, include: { user: { select: { email: true, name: true } } } },
      runs: { orderBy: { createdAt: "desc" }, take: 20, select: { id: true, kind: true, status: true, createdAt: true, startedAt: true, finishedAt: true, error: true } },
      notifications: {
        orderBy: { position: "asc" },
        include: { deliveries: { orderBy: { seq: "desc" }, take: 1, select: { event: true, status: true, attempts: true, lastError: true, lastStatusCode: true, createdAt: true, deliveredAt: true } } },
      },
      calendarFeed: { select: { prefix: true, createdAt: true } },
    },
  });
  if (!c) throw notFound("cutover");
  const insights = await planInsights(ctx.db, c);
  const options = (c.options ?? {}) as { rehearsalDatabaseSecretId?: string; rehearsalDatabaseDisplay?: string };
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    version: c.version,
    planHash: c.planHash,
    app: c.herokuApp,
    target: c.targetDatabaseDisplay,
    smokeChecks: c.smokeChecks,
    windowStartsAt: c.windowStartsAt,
    windowEndsAt: c.windowEndsAt,
    timeZone: c.timeZone,
    requiredApprovals: c.requiredApprovals,
    steps: describeSteps(c.steps.map((s) => ({ key: s.key, kind: s.kind, params: s.params as Record<string, unknown>, description: s.description }))),
    signOffs: c.signOffs.map((s) => ({ user: s.user, decision: s.decision, comment: s.comment, planHash: s.planHash, current: s.planHash === c.planHash, at: s.createdAt })),
    runs: c.runs,
    /** Whether a live run could start now with the viewer as its operator, and why not. */
    gate: cutoverGate(c, ctx.now(), ctx.actor.type === "user" ? ctx.actor.id : null),
    rehearsalTarget: options.rehearsalDatabaseSecretId ? (options.rehearsalDatabaseDisplay ?? "(set)") : null,
    /** Webhook channels with the URL as scheme and host only, and each one's latest delivery. */
    notifications: c.notifications.map((n) => ({
      id: n.id,
      name: n.name,
      format: n.format,
      url: n.urlDisplay,
      events: n.events,
      windowLeadMinutes: n.windowLeadMinutes,
      lastDelivery: n.deliveries[0] ?? null,
    })),
    /** Whether a calendar feed URL exists (its token is shown only when created). */
    calendarFeed: c.calendarFeed,
    ...insights,
  };
}
