// What a notification says, and the body each channel format sends. Pure: the enqueue stores the
// payload, the worker turns it into a request body when it delivers.
import { formatWindowIn } from "@/lib/time/format-window";
import type { NotifyEvent, NotifyFormat } from "./events";

export interface RunRef {
  id: string;
  kind: string;
  status: string;
}

export interface StepRef {
  key: string;
  phase: "forward" | "rollback";
  attempt: number;
}

/** The facts an event is worded from, by event. */
export type EventFacts =
  | { event: "signoff_needed"; version: number; planHash: string; requiredApprovals: number }
  | { event: "window_opens"; windowStartsAt: Date; windowEndsAt: Date | null; timeZone: string; minutes: number }
  | { event: "run_started" | "rollback_started" | "finished"; run: RunRef; reason?: string }
  | { event: "maintenance_enabled" | "maintenance_disabled" | "step_failed"; run: RunRef; step: StepRef; error?: string };

/** What is stored in the outbox and sent (the JSON format adds `url` when the dashboard's address is known). */
export interface NotifyPayload {
  event: NotifyEvent;
  cutover: { id: string; name: string; app: string };
  run?: RunRef;
  step?: { key: string; phase: "forward" | "rollback"; attempt: number };
  at: string;
  /** One sentence for people. */
  text: string;
}

const STATUS_WORDS: Record<string, string> = {
  succeeded: "succeeded",
  needs_attention: "finished but needs attention",
  failed: "failed",
  cancelled: "was cancelled",
  rolled_back: "was rolled back",
  rollback_failed: "could not be rolled back (rollback failed)",
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const minutes = (n: number) => (n === 1 ? "1 minute" : `${n} minutes`);

/** The human sentence of an event. */
export function eventText(cutover: { name: string; app: string }, facts: EventFacts): string {
  const plan = `"${cutover.name}" (${cutover.app})`;
  switch (facts.event) {
    case "signoff_needed":
      return `Sign-off needed: the cutover plan ${plan} is at version ${facts.version} (hash ${facts.planHash.slice(0, 12)}) and needs ${facts.requiredApprovals} approval(s) before it can start.`;
    case "window_opens": {
      const end = facts.windowEndsAt ?? facts.windowStartsAt;
      const when = formatWindowIn(facts.windowStartsAt, end, "UTC");
      const local = facts.timeZone === "UTC" ? "" : `; ${formatWindowIn(facts.windowStartsAt, end, facts.timeZone)} ${facts.timeZone}`;
      return `The maintenance window of ${plan} opens in ${minutes(facts.minutes)}: ${when}${local}.`;
    }
    case "run_started":
      return `The live cutover ${plan} has started.`;
    case "rollback_started":
      return `The live cutover ${plan} is rolling back${facts.reason ? ` (${clip(facts.reason, 200)})` : ""}.`;
    case "finished":
      return `The live cutover ${plan} ${STATUS_WORDS[facts.run.status] ?? `ended (${facts.run.status})`}.`;
    case "maintenance_enabled":
      return `Maintenance mode is on for ${cutover.app}: the cutover "${cutover.name}" ${facts.step.phase === "rollback" ? "is rolling back" : "is under way"}.`;
    case "maintenance_disabled":
      return facts.step.phase === "rollback"
        ? `Maintenance mode is off for ${cutover.app} again: the rollback of the cutover "${cutover.name}" left it on its old database.`
        : `Maintenance mode is off for ${cutover.app} again: the cutover "${cutover.name}" switched it to its new database.`;
    case "step_failed":
      return `Step ${facts.step.key}${facts.step.phase === "rollback" ? " of the rollback" : ""} failed (attempt ${facts.step.attempt}) in the live cutover ${plan}${facts.error ? `: ${clip(facts.error, 300)}` : ""}.`;
  }
}

/** The stored payload of one event. */
export function buildPayload(cutover: { id: string; name: string; app: string }, facts: EventFacts, at: Date): NotifyPayload {
  return {
    event: facts.event,
    cutover: { id: cutover.id, name: cutover.name, app: cutover.app },
    ...("run" in facts ? { run: { id: facts.run.id, kind: facts.run.kind, status: facts.run.status } } : {}),
    ...("step" in facts ? { step: { key: facts.step.key, phase: facts.step.phase, attempt: facts.step.attempt } } : {}),
    at: at.toISOString(),
    text: eventText(cutover, facts),
  };
}

/** Where in the dashboard the event can be followed: the run when there is one, else the plan. */
export function dashboardLink(payload: NotifyPayload, publicUrl: string | null | undefined): string | null {
  if (!publicUrl) return null;
  const base = publicUrl.replace(/\/+$/, "");
  return payload.run ? `${base}/runs/${payload.run.id}` : `${base}/cutovers/${payload.cutover.id}`;
}

/** Slack reads &, < and > as markup (<!channel> pings everyone): escaped in the text, as its formatting rules ask. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The request body for a channel's format: Switchyard's JSON (the payload plus `url`), or Slack's
 * incoming-webhook message (`{ "text": … }`, with the link in Slack's <url|label> form).
 */
export function requestBody(format: NotifyFormat, payload: NotifyPayload, publicUrl?: string | null): string {
  const url = dashboardLink(payload, publicUrl);
  if (format === "slack") {
    const link = url ? ` <${url}|Open in Switchyard>` : "";
    return JSON.stringify({ text: `${slackEscape(payload.text)}${link}` });
  }
  return JSON.stringify({ ...payload, ...(url ? { url } : {}) });
}
