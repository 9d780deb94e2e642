import { CORE_KEYS, ROLLBACK_KEYS } from "@/lib/steps/core-plan";
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { notFound } from "@/lib/errors";
import type { StepRun } from "@/lib/generated/prisma/client";
import { failedChecks } from "@/lib/cutover/plan-insights";
import { validate } from "@/lib/validate";
import { downtimeReport } from "./downtime";
import type { DowntimeEstimate } from "./downtime-estimate";
import type { PlanSnapshot } from "./plan-snapshot";
import { canCancel, canRollback, type RunStatus } from "./state-machine";
import { touchedApp } from "./touched-app";
import { awaitedStep } from "./awaited-step";

export const GetRunInput = z.object({ runId: z.string().uuid("must be a run id") });
export type GetRunInput = z.input<typeof GetRunInput>;

/** How many transitions the run view shows (the newest). */
export const RUN_TRANSITIONS_SHOWN = 200;

type SmokePhaseKey = "baseline" | "afterSwitch" | "afterRollback";
const SMOKE_PHASE_KEY: Record<string, SmokePhaseKey> = { baseline: "baseline", after_switch: "afterSwitch", after_rollback: "afterRollback" };

export interface SmokeView {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  failedChecks: string[];
}

/**
 * One run for the run view: its steps in plan order (latest attempt of each), recent transitions,
 * the latest smoke result per URL and phase, the maintenance span and the downtime report.
 * Step outputs are never returned: they may hold facts a viewer should not see.
 */
export async function getRun({ ctx, input }: { ctx: Ctx; input: GetRunInput }) {
  authorize(ctx, "cutover.read");
  const { runId } = validate(GetRunInput, input);
  const db = ctx.tx ?? ctx.db;
  const run = await db.cutoverRun.findUnique({ where: { id: runId } });
  if (!run) throw notFound("run");
  const [stepRows, transitionRows, smokeRows, touched] = await Promise.all([
    db.stepRun.findMany({ where: { runId }, orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] }),
    db.runTransition.findMany({ where: { runId }, orderBy: { id: "desc" }, take: RUN_TRANSITIONS_SHOWN }),
    db.smokeResult.findMany({ where: { runId }, orderBy: { createdAt: "asc" } }),
    touchedApp(db, runId),
  ]);
  const now = ctx.now();
  const snapshot = (run.planSnapshot ?? {}) as Partial<PlanSnapshot>;
  const planSteps = Array.isArray(snapshot.steps) ? snapshot.steps : [];

  const forward = stepRows.filter((s) => s.phase === "forward");
  const rollback = stepRows.filter((s) => s.phase === "rollback");
  const preflight = latest(forward.filter((s) => s.stepKey === CORE_KEYS.preflight && s.status === "succeeded"));
  const preflightOutput = (preflight?.output ?? null) as { estimatedCopyMs?: unknown; estimatedDowntime?: DowntimeEstimate } | null;
  const estimated = preflightOutput?.estimatedCopyMs;
  const downtime = downtimeReport({
    attempts: forward.map(facts),
    rollbackAttempts: rollback.map(facts),
    runFinishedAt: run.finishedAt,
    estimatedCopyMs: typeof estimated === "number" && Number.isFinite(estimated) ? estimated : null,
    estimate: preflightOutput?.estimatedDowntime?.steps ? preflightOutput.estimatedDowntime : null,
    now,
  });

  const descriptions = new Map(planSteps.map((s) => [s.key, s.description]));
  const steps = [
    ...orderedKeys(planSteps.map((s) => s.key), forward).map((key) => stepView(key, "forward", descriptions.get(key) ?? "", forward, now)),
    ...orderedKeys([], rollback).map((key) => stepView(key, "rollback", rollbackDescription(key), rollback, now)),
  ];

  const status = run.status as RunStatus;
  const waiting = status === "running" ? waitingFor(planSteps, forward) : null;
  return {
    id: run.id,
    cutoverId: run.cutoverId,
    kind: run.kind,
    status: run.status,
    version: run.version,
    planHash: run.planHash,
    error: run.error,
    claimedBy: run.claimedBy,
    startedById: run.startedById,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    rollbackRequestedAt: run.rollbackRequestedAt,
    cancelRequestedAt: run.cancelRequestedAt,
    lastLogSeq: run.lastLogSeq,
    steps,
    transitions: transitionRows.reverse().map((t) => ({
      from: t.fromStatus,
      to: t.toStatus,
      reason: t.reason,
      actor: t.actor,
      at: t.createdAt,
      stepRunId: t.stepRunId,
    })),
    smoke: smokeView(snapshot, smokeRows),
    maintenance: { since: downtime.since, until: downtime.ongoing ? null : downtime.until },
    downtime,
    canRollback: canRollback({ status, kind: run.kind, touchedApp: touched }),
    canCancel: canCancel(status),
    waiting,
  };
}

/** The step the run waits at for a person, with what it asks and who may answer; null when none. */
function waitingFor(planSteps: PlanSnapshot["steps"], forward: StepRun[]) {
  for (const step of planSteps) {
    const attempt = latest(forward.filter((s) => s.stepKey === step.key));
    const asks = attempt?.status === "running" ? awaitedStep(step) : null;
    if (attempt && asks) return { key: step.key, since: attempt.startedAt, ...asks };
  }
  return null;
}

export type RunView = Awaited<ReturnType<typeof getRun>>;

const facts = (s: StepRun) => ({ key: s.stepKey, status: s.status, startedAt: s.startedAt, finishedAt: s.finishedAt });

function latest(attempts: StepRun[]): StepRun | undefined {
  return attempts.reduce<StepRun | undefined>((best, s) => (!best || s.attempt > best.attempt ? s : best), undefined);
}

/** Plan keys first, then keys only the attempts know (in the order they were first created). */
function orderedKeys(planKeys: string[], attempts: StepRun[]): string[] {
  const keys = [...planKeys];
  for (const s of attempts) if (!keys.includes(s.stepKey)) keys.push(s.stepKey);
  return keys;
}

function stepView(key: string, phase: "forward" | "rollback", description: string, rows: StepRun[], now: Date) {
  const attempts = rows.filter((s) => s.stepKey === key);
  const last = latest(attempts);
  const startedAt = last?.startedAt ?? null;
  const finishedAt = last?.finishedAt ?? null;
  const end = finishedAt ?? (last?.status === "running" ? now : null);
  return {
    key,
    description,
    phase,
    attempts: attempts.length,
    status: last?.status ?? "pending",
    startedAt,
    finishedAt,
    durationMs: startedAt && end ? Math.max(0, end.getTime() - startedAt.getTime()) : null,
    error: last?.error ?? null,
  };
}

function rollbackDescription(key: string): string {
  if (key === ROLLBACK_KEYS.maintenanceOn) return "Turn maintenance mode on while rolling back.";
  if (key === ROLLBACK_KEYS.maintenanceOff) return "Turn maintenance mode off.";
  if (key === ROLLBACK_KEYS.smoke) return "Check every smoke URL after the rollback.";
  const undone = ROLLBACK_KEYS.undoneBy(key);
  if (undone) return `Undo ${undone}.`;
  return "";
}

function smokeView(snapshot: Partial<PlanSnapshot>, rows: Array<{ url: string; phase: string; ok: boolean; statusCode: number | null; latencyMs: number | null; checks: unknown; error: string | null }>) {
  const urls = (Array.isArray(snapshot.smokeChecks) ? snapshot.smokeChecks : []).map((c) => c.url);
  for (const r of rows) if (!urls.includes(r.url)) urls.push(r.url);
  const byUrl = new Map<string, Record<SmokePhaseKey, SmokeView | null>>(urls.map((u) => [u, { baseline: null, afterSwitch: null, afterRollback: null }]));
  // rows are oldest first, so the last one written for a phase wins.
  for (const r of rows) {
    const phase = SMOKE_PHASE_KEY[r.phase];
    if (!phase) continue;
    byUrl.get(r.url)![phase] = { ok: r.ok, statusCode: r.statusCode, latencyMs: r.latencyMs, failedChecks: failedChecks(r.checks, r.error) };
  }
  return urls.map((url) => ({ url, ...byUrl.get(url)! }));
}
