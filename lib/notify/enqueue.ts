// The notification outbox's one way in. Called inside the transaction of the change that causes
// the event (a plan edit, a run or step transition), so a change that rolls back notifies nobody
// and one that commits is sure to be delivered. Only database work here: no network, nothing
// that can fail for another reason and take the change down with it.
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunKind, RunStatus, StepStatus } from "@/lib/run/state-machine";
import { eventsForRunMove, eventsForStepMove, type NotifyEvent } from "./events";
import { buildPayload, type EventFacts } from "./payload";

/** NOTIFYed when deliveries are queued: a hint for the worker's notifier, which also polls. */
export const NOTIFY_CHANNEL = "switchyard_notify";

export type NotifyCause =
  /** A plan was created or edited; `hashChanged` is true for a new plan. */
  | { cause: "plan"; cutoverId: string; version: number; planHash: string; requiredApprovals: number; hashChanged: boolean; at: Date }
  /** A run moved (the row as it is after the move). */
  | { cause: "run"; run: { id: string; cutoverId: string; kind: string; status: string; version: number }; from: RunStatus; reason?: string; at: Date }
  /** A step attempt moved (the row as it is after the move). */
  | { cause: "step"; step: { id: string; runId: string; stepKey: string; phase: string; attempt: number; status: string; error: string | null }; at: Date }
  /** One event for one cutover's channels, with its own dedupe key (the window sweep). */
  | { cause: "event"; cutoverId: string; facts: EventFacts; dedupeKey: string; channelIds?: string[]; at: Date };

/** Queues a delivery per subscribed channel for each event the cause means; returns how many were queued. */
export async function enqueueNotifications(tx: Tx, cause: NotifyCause): Promise<number> {
  let queued = 0;
  for (const item of await eventsOf(tx, cause)) queued += await enqueueEvent(tx, item);
  if (queued > 0) await tx.$executeRaw`SELECT pg_notify(${NOTIFY_CHANNEL}, '')`;
  return queued;
}

interface EventItem {
  cutoverId: string;
  facts: EventFacts;
  dedupeKey: string;
  channelIds?: string[];
  at: Date;
}

async function eventsOf(tx: Tx, cause: NotifyCause): Promise<EventItem[]> {
  switch (cause.cause) {
    case "plan": {
      if (!cause.hashChanged || cause.requiredApprovals < 1) return [];
      const facts: EventFacts = { event: "signoff_needed", version: cause.version, planHash: cause.planHash, requiredApprovals: cause.requiredApprovals };
      return [{ cutoverId: cause.cutoverId, facts, dedupeKey: `signoff_needed:v${cause.version}`, at: cause.at }];
    }
    case "run": {
      const { run } = cause;
      const ref = { id: run.id, kind: run.kind, status: run.status };
      return eventsForRunMove(run.kind as RunKind, cause.from, run.status as RunStatus).map((event) => ({
        cutoverId: run.cutoverId,
        facts: { event, run: ref, reason: cause.reason } as EventFacts,
        // The run's version is bumped by every move: a retried run that starts again is a new event.
        dedupeKey: `${event}:${run.id}:${run.version}`,
        at: cause.at,
      }));
    }
    case "step": {
      const { step } = cause;
      if (step.status !== "succeeded" && step.status !== "failed") return [];
      const run = await tx.cutoverRun.findUnique({ where: { id: step.runId }, select: { id: true, kind: true, status: true, cutoverId: true } });
      if (!run) return [];
      const ref = { id: run.id, kind: run.kind, status: run.status };
      const stepRef = { key: step.stepKey, phase: step.phase === "rollback" ? ("rollback" as const) : ("forward" as const), attempt: step.attempt };
      return eventsForStepMove(run.kind as RunKind, step.stepKey, step.status as StepStatus).map((event) => ({
        cutoverId: run.cutoverId,
        facts: { event, run: ref, step: stepRef, error: step.error ?? undefined } as EventFacts,
        dedupeKey: `${event}:${step.id}`,
        at: cause.at,
      }));
    }
    case "event":
      return [{ cutoverId: cause.cutoverId, facts: cause.facts, dedupeKey: cause.dedupeKey, channelIds: cause.channelIds, at: cause.at }];
  }
}

async function enqueueEvent(tx: Tx, item: EventItem): Promise<number> {
  const event: NotifyEvent = item.facts.event;
  const channels = await tx.notificationChannel.findMany({
    where: { cutoverId: item.cutoverId, events: { has: event }, ...(item.channelIds ? { id: { in: item.channelIds } } : {}) },
    orderBy: { position: "asc" },
    select: { id: true, cutover: { select: { id: true, name: true, herokuApp: { select: { name: true } } } } },
  });
  if (channels.length === 0) return 0;
  const c = channels[0]!.cutover;
  const payload = buildPayload({ id: c.id, name: c.name, app: c.herokuApp.name }, item.facts, item.at);
  const { count } = await tx.notificationDelivery.createMany({
    data: channels.map((ch) => ({ channelId: ch.id, event, dedupeKey: item.dedupeKey, payload: payload as unknown as Prisma.InputJsonValue })),
    // The same event twice (a sweep racing another worker's) is queued once.
    skipDuplicates: true,
  });
  return count;
}
