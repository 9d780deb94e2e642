import { CORE_KEYS } from "@/lib/steps/core-plan";
import type { Db, Tx } from "@/lib/db/client";

const SMOKE_BASELINE = "baseline";

interface PreflightOutputFacts {
  sourceBytes?: number;
  estimatedCopyMs?: number;
  addonName?: string;
  attachmentNames?: string[];
}

/**
 * What the plan view shows beside the plan: the latest preflight (from any run kind), the copy
 * estimate against the window, and the latest smoke baseline. Read-only; no secrets.
 */
export async function planInsights(db: Db | Tx, cutover: { id: string; windowStartsAt: Date | null; windowEndsAt: Date | null }) {
  const [preflightStep, rehearsalCopy, baselineRun] = await Promise.all([
    db.stepRun.findFirst({
      where: { stepKey: CORE_KEYS.preflight, phase: "forward", status: { in: ["succeeded", "failed"] }, run: { cutoverId: cutover.id } },
      orderBy: { finishedAt: "desc" },
      select: { runId: true, status: true, finishedAt: true, error: true, output: true },
    }),
    db.stepRun.findFirst({
      where: { stepKey: CORE_KEYS.copy, phase: "forward", status: "succeeded", run: { cutoverId: cutover.id, kind: "rehearsal" } },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    }),
    db.smokeResult.findFirst({ where: { phase: SMOKE_BASELINE, run: { cutoverId: cutover.id } }, orderBy: { createdAt: "desc" }, select: { runId: true } }),
  ]);
  const facts = (preflightStep?.status === "succeeded" ? preflightStep.output : null) as PreflightOutputFacts | null;
  const copyMs = typeof facts?.estimatedCopyMs === "number" ? facts.estimatedCopyMs : null;
  const windowMs = cutover.windowStartsAt && cutover.windowEndsAt ? cutover.windowEndsAt.getTime() - cutover.windowStartsAt.getTime() : null;
  // The preflight estimates from the latest rehearsal's measured rate when one finished before it.
  const measured = Boolean(rehearsalCopy?.finishedAt && preflightStep?.finishedAt && rehearsalCopy.finishedAt <= preflightStep.finishedAt);
  return {
    preflight: preflightStep
      ? {
          runId: preflightStep.runId,
          status: preflightStep.status,
          finishedAt: preflightStep.finishedAt,
          problems: preflightStep.error ? [preflightStep.error] : [],
          facts: {
            sourceSizeBytes: facts?.sourceBytes,
            estimatedCopyMs: facts?.estimatedCopyMs,
            sourceAddon: facts?.addonName,
            attachmentNames: facts?.attachmentNames,
          },
        }
      : null,
    estimate: { copyMs, windowMs, fits: copyMs !== null && windowMs !== null ? copyMs <= windowMs : null, basis: copyMs === null ? null : measured ? "rehearsal" : "preflight" },
    smokeBaseline: baselineRun ? await baselineOf(db, baselineRun.runId) : [],
  };
}

async function baselineOf(db: Db | Tx, runId: string) {
  const rows = await db.smokeResult.findMany({ where: { runId, phase: SMOKE_BASELINE }, orderBy: { createdAt: "asc" } });
  const latest = new Map(rows.map((r) => [r.url, r]));
  return [...latest.values()].map((r) => ({
    url: r.url,
    ok: r.ok,
    statusCode: r.statusCode,
    latencyMs: r.latencyMs,
    failedChecks: failedChecks(r.checks, r.error),
    at: r.createdAt,
  }));
}

/** The details of the checks that failed, then the request's own error. */
export function failedChecks(checks: unknown, error: string | null): string[] {
  const failed = (Array.isArray(checks) ? checks : [])
    .filter((c): c is { check?: unknown; ok?: unknown; detail?: unknown } => typeof c === "object" && c !== null && (c as { ok?: unknown }).ok === false)
    .map((c) => (typeof c.detail === "string" && c.detail ? c.detail : String(c.check ?? "check")));
  return error ? [...failed, error] : failed;
}
