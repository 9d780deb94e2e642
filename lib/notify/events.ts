// The events a notification channel may subscribe to, and which run and step moves cause them.
// Pure data and functions: the plan form lists the events from here, the transition verbs ask
// here what a move means, the payload builder words it.
import { CORE_KEYS, ROLLBACK_KEYS } from "@/lib/steps/core-plan";
import { isTerminal, type RunKind, type RunStatus, type StepStatus } from "@/lib/run/state-machine";

export const NOTIFY_EVENTS = [
  { id: "signoff_needed", label: "Sign-off needed", description: "The plan was created or changed and needs approvers' sign-offs for its new version." },
  { id: "window_opens", label: "Window opens soon", description: "The maintenance window starts within the channel's lead time." },
  { id: "run_started", label: "Live run started", description: "A live run was picked up by a worker." },
  { id: "maintenance_enabled", label: "Maintenance on", description: "Maintenance mode went on (forward, or at the start of a rollback)." },
  { id: "maintenance_disabled", label: "Maintenance off", description: "Maintenance mode went off again." },
  { id: "step_failed", label: "Step failed", description: "An attempt at a step of a live run failed." },
  { id: "rollback_started", label: "Rollback started", description: "A live run started rolling back." },
  { id: "finished", label: "Run finished", description: "A live run ended: succeeded, needs attention, failed, cancelled, rolled back or rollback failed." },
] as const;

export type NotifyEvent = (typeof NOTIFY_EVENTS)[number]["id"];
export const NOTIFY_EVENT_IDS = NOTIFY_EVENTS.map((e) => e.id) as [NotifyEvent, ...NotifyEvent[]];

/** A list of events in the canonical order, each once (what is stored and hashed). */
export function canonicalEvents(events: readonly string[]): NotifyEvent[] {
  return NOTIFY_EVENT_IDS.filter((id) => events.includes(id));
}

export const NOTIFY_FORMATS = ["json", "slack"] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

/** Whether runs of this kind notify: stakeholders care about the live cutover, not preflights and rehearsals. */
export const notifiesForRun = (kind: RunKind) => kind === "live";

/** The events a run's move from one status to another causes (for a live run). */
export function eventsForRunMove(kind: RunKind, from: RunStatus, to: RunStatus): NotifyEvent[] {
  if (!notifiesForRun(kind)) return [];
  if (from === "queued" && to === "running") return ["run_started"];
  if (to === "rolling_back") return ["rollback_started"];
  if (isTerminal(to)) return ["finished"];
  return [];
}

// The core's maintenance steps, forward and in a rollback, by their fixed keys.
const MAINTENANCE_STEPS: Record<string, NotifyEvent> = {
  [CORE_KEYS.maintenanceOn]: "maintenance_enabled",
  [CORE_KEYS.maintenanceOff]: "maintenance_disabled",
  [ROLLBACK_KEYS.maintenanceOn]: "maintenance_enabled",
  [ROLLBACK_KEYS.maintenanceOff]: "maintenance_disabled",
};

/** The events a step attempt's move causes (for a live run): maintenance switched, or a failure. */
export function eventsForStepMove(kind: RunKind, stepKey: string, to: StepStatus): NotifyEvent[] {
  if (!notifiesForRun(kind)) return [];
  if (to === "succeeded" && MAINTENANCE_STEPS[stepKey]) return [MAINTENANCE_STEPS[stepKey]];
  if (to === "failed") return ["step_failed"];
  return [];
}
