import { z } from "zod";
import { privateSmokeUrlsAllowed } from "@/lib/env/smoke-urls";
import { literalHostProblem } from "@/lib/security/url-policy";
import { NOTIFY_EVENT_IDS, NOTIFY_FORMATS } from "@/lib/notify/events";
import { webhookUrlProblem } from "@/lib/notify/webhook-url";
import { PlanStepsInput } from "@/lib/steps/plan-steps-input";
import { targetUrlProblems } from "./target-url";

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// .url() reports an unparsable URL; this must not throw on one (that would be a 500).
function smokeUrlPolicy(u: string, ctx: z.RefinementCtx) {
  if (!URL.canParse(u)) return;
  if (!/^https?:$/.test(new URL(u).protocol)) return void ctx.addIssue({ code: "custom", message: "must start with http:// or https://" });
  const internal = privateSmokeUrlsAllowed() ? null : literalHostProblem(u);
  if (internal) ctx.addIssue({ code: "custom", message: `must be a public address, but ${internal} (SMOKE_ALLOW_PRIVATE_URLS=true allows internal ones)` });
}

export const SmokeCheck = z.object({
  url: z
    .string()
    .max(2048, "is too long (2048 characters at most)")
    .url("must be a full URL such as https://example.com/health")
    .superRefine(smokeUrlPolicy),
  expectStatus: z.number().int().min(100).max(599).default(200),
  expectText: z.string().max(500, "is too long (500 characters at most)").optional(),
  maxLatencyMs: z.number().int().min(1).max(120_000).default(2000),
  imagesLoad: z.boolean().default(false),
});
export type SmokeCheck = z.infer<typeof SmokeCheck>;

/**
 * A notification channel as the plan form sends it. `id` keeps an existing channel, and its sealed
 * URL when `url` is left out; a new channel needs its URL.
 */
export const NotificationChannelInput = z
  .object({
    id: z.string().uuid("must be the id of one of this plan's channels").optional(),
    name: z.string().trim().min(1, "is required").max(80, "is too long (80 characters at most)"),
    format: z.enum(NOTIFY_FORMATS, { message: 'must be "json" or "slack"' }).default("json"),
    url: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        const problem = value === undefined ? null : webhookUrlProblem(value, privateSmokeUrlsAllowed());
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    events: z
      .array(z.enum(NOTIFY_EVENT_IDS, { message: `must be one of ${NOTIFY_EVENT_IDS.join(", ")}` }))
      .min(1, "must name at least one event")
      .refine((events) => new Set(events).size === events.length, "lists an event more than once"),
    windowLeadMinutes: z.number().int("must be a whole number of minutes").min(1, "must be at least 1 minute").max(10_080, "must be at most 10080 minutes (a week)").default(30),
  })
  .refine((c) => c.id !== undefined || c.url !== undefined, { path: ["url"], message: "is required for a new channel" });
export type NotificationChannelInput = z.infer<typeof NotificationChannelInput>;

const Notifications = z
  .array(NotificationChannelInput)
  .max(10, "has too many entries (10 at most)")
  .superRefine((channels, ctx) => {
    const seen = new Set<string>();
    channels.forEach((c, i) => {
      if (c.id && seen.has(c.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: "names the same channel twice" });
      if (c.id) seen.add(c.id);
    });
  });

export const CreateCutoverInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(120, "is too long (120 characters at most)"),
    herokuAppId: z.string().uuid("must be the id of a connected Heroku app"),
    targetDatabaseUrl: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        for (const p of value ? targetUrlProblems(value) : []) ctx.addIssue({ code: "custom", message: p.message });
      }),
    /** A scratch database for rehearsals; it is wiped before each rehearsal's copy. */
    rehearsalDatabaseUrl: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        for (const p of value ? targetUrlProblems(value, "rehearsalDatabaseUrl") : []) ctx.addIssue({ code: "custom", message: p.message });
      }),
    smokeChecks: z.array(SmokeCheck).max(50, "has too many entries (50 at most)").default([]),
    windowStartsAt: z.coerce.date({ message: "must be a date and time" }).optional(),
    windowEndsAt: z.coerce.date({ message: "must be a date and time" }).optional(),
    timeZone: z.string().max(64).refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin").default("UTC"),
    requiredApprovals: z.number().int().min(0).max(20).default(2),
    /** The runbook; the core plan when left out. */
    steps: PlanStepsInput.optional(),
    /** Webhooks notified on chosen events; part of the plan approvers sign (never their URLs). */
    notifications: Notifications.default([]),
  })
  .refine((v) => !v.windowStartsAt || !v.windowEndsAt || v.windowEndsAt > v.windowStartsAt, {
    path: ["windowEndsAt"],
    message: "must be after the window start",
  });
export type CreateCutoverInput = z.input<typeof CreateCutoverInput>;

/** An edit: every field optional; `version` is the one the editor saw (lost-update guard). */
export const UpdateCutoverInput = z
  .object({
    cutoverId: z.string().uuid("must be a cutover id"),
    version: z.number().int().min(1, "must be the plan version you edited"),
    name: z.string().trim().min(1, "is required").max(120, "is too long (120 characters at most)").optional(),
    targetDatabaseUrl: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        for (const p of value ? targetUrlProblems(value) : []) ctx.addIssue({ code: "custom", message: p.message });
      }),
    rehearsalDatabaseUrl: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        for (const p of value ? targetUrlProblems(value, "rehearsalDatabaseUrl") : []) ctx.addIssue({ code: "custom", message: p.message });
      }),
    smokeChecks: z.array(SmokeCheck).max(50, "has too many entries (50 at most)").optional(),
    windowStartsAt: z.coerce.date({ message: "must be a date and time" }).nullable().optional(),
    windowEndsAt: z.coerce.date({ message: "must be a date and time" }).nullable().optional(),
    timeZone: z.string().max(64).refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin").optional(),
    requiredApprovals: z.number().int().min(0).max(20).optional(),
    /** The whole runbook, replacing the current steps. */
    steps: PlanStepsInput.optional(),
    /** Every channel, replacing the current ones (a channel left out is removed). */
    notifications: Notifications.optional(),
  });
export type UpdateCutoverInput = z.input<typeof UpdateCutoverInput>;
