"use client";

import type { ReactNode } from "react";
import type { RunView } from "@/lib/run/get-run";
import { formatStepTime } from "./run-steps";
import { formatDuration } from "./ui";

type Phase = RunView["smoke"][number]["baseline"];

/** Slower than this many times the baseline (and by more than MUCH_SLOWER_MS) counts as a regression. */
const MUCH_SLOWER_FACTOR = 3;
const MUCH_SLOWER_MS = 200;

/** Per URL: baseline, after the switch, after a rollback, side by side; regressions from the baseline are highlighted. */
export function SmokeComparison({ smoke, checks }: { smoke: RunView["smoke"]; checks: Array<{ url: string; maxLatencyMs: number }> }) {
  const budget = new Map(checks.map((c) => [c.url, c.maxLatencyMs]));
  const regressions = smoke.reduce((n, s) => n + (regressionsOf(s.afterSwitch, s.baseline, budget.get(s.url)).length > 0 ? 1 : 0) + (regressionsOf(s.afterRollback, s.baseline, budget.get(s.url)).length > 0 ? 1 : 0), 0);
  return (
    <div className="space-y-2">
      <p className={`text-sm ${regressions ? "font-medium text-red-800" : "text-slate-600"}`} data-testid="smoke-summary">
        {regressions ? `${regressions} result(s) regressed from the baseline (marked ▲).` : "No regression from the baseline."}
      </p>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Smoke comparison">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3">URL</th>
              <th scope="col" className="py-1 pr-3">Baseline</th>
              <th scope="col" className="py-1 pr-3">After switch</th>
              <th scope="col" className="py-1 pr-3">After rollback</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {smoke.map((s) => (
              <tr key={s.url} data-testid="smoke-row">
                <th scope="row" className="py-2 pr-3 text-left align-top font-mono text-xs font-normal break-all">
                  {s.url}
                  {budget.has(s.url) && <span className="block text-slate-500">budget {budget.get(s.url)} ms</span>}
                </th>
                <PhaseCell result={s.baseline} baseline={null} budget={budget.get(s.url)} />
                <PhaseCell result={s.afterSwitch} baseline={s.baseline} budget={budget.get(s.url)} />
                <PhaseCell result={s.afterRollback} baseline={s.baseline} budget={budget.get(s.url)} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PhaseCell({ result, baseline, budget }: { result: Phase; baseline: Phase; budget?: number }) {
  if (!result) return <td className="py-2 pr-3 align-top text-slate-400">not run</td>;
  const regressions = regressionsOf(result, baseline, budget);
  const tone = regressions.length ? "bg-red-50 text-red-900 ring-1 ring-inset ring-red-300" : result.ok ? "text-emerald-900" : "text-red-900";
  return (
    <td className={`py-2 pr-3 align-top ${tone}`} data-regression={regressions.length > 0 || undefined}>
      <span className="font-medium">{result.ok ? "ok" : "failed"}</span> · {result.statusCode ?? "no answer"} · {result.latencyMs ?? "–"} ms
      {result.failedChecks.map((c) => (
        <span key={c} className="block text-xs">
          ✗ {c}
        </span>
      ))}
      {regressions.map((r) => (
        <span key={r} className="block text-xs font-semibold">
          ▲ {r}
        </span>
      ))}
    </td>
  );
}

/** What got worse compared with the baseline: ok → not ok, a different status, over budget, much slower. */
export function regressionsOf(r: Phase, base: Phase, budget?: number): string[] {
  if (!r || !base) return [];
  const out: string[] = [];
  if (base.ok && !r.ok) out.push("was ok at baseline");
  if (base.statusCode !== null && r.statusCode !== base.statusCode) out.push(`status ${base.statusCode} → ${r.statusCode ?? "none"}`);
  if (r.latencyMs !== null && budget !== undefined && r.latencyMs > budget) out.push(`over the ${budget} ms budget`);
  else if (r.latencyMs !== null && base.latencyMs !== null && r.latencyMs > base.latencyMs * MUCH_SLOWER_FACTOR && r.latencyMs - base.latencyMs > MUCH_SLOWER_MS) {
    out.push(`much slower (${base.latencyMs} → ${r.latencyMs} ms)`);
  }
  return out;
}

/** Time customers saw the maintenance page, split by step, beside the preflight's estimate. */
export function DowntimeReport({ downtime: d }: { downtime: RunView["downtime"] }) {
  const estimated = new Map((d.estimate?.steps ?? []).map((s) => [s.key, s.ms]));
  const measured = new Map(d.steps.map((s) => [s.key, s]));
  const keys = [...d.steps.map((s) => s.key), ...[...estimated.keys()].filter((k) => !measured.has(k))];
  return (
    <div className="space-y-3 text-sm">
      <p data-testid="downtime-total" className="text-base">
        Customers saw the maintenance page for <strong className="tabular-nums">{formatDuration(d.totalMs)}</strong>
        {d.ongoing && " so far"}
        {d.estimate ? (
          <>
            {" "}
            — estimated <span className="tabular-nums">{formatDuration(d.estimate.totalMs)}</span> at preflight ({d.estimate.basis === "rehearsal" ? "copy rate measured by a rehearsal" : "rule of thumb, no rehearsal yet"})
          </>
        ) : (
          " (no estimate was made)"
        )}
        .
      </p>
      {d.endedBy && <p className="text-slate-600">{ENDED_BY[d.endedBy]}</p>}
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Downtime by step">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3">Step</th>
              <th scope="col" className="py-1 pr-3 text-right">Measured</th>
              <th scope="col" className="py-1 pr-3 text-right">Estimated</th>
              <th scope="col" className="py-1 pr-3 text-right">Difference</th>
              <th scope="col" className="py-1 pr-3 text-right">Attempts</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {keys.map((key) => {
              const m = measured.get(key);
              return <DowntimeRow key={key} label={<code className="text-xs">{key}</code>} measuredMs={m?.ms ?? null} estimatedMs={estimated.get(key) ?? null} attempts={m?.attempts ?? 0} />;
            })}
            <DowntimeRow label={<span className="text-slate-600">between steps</span>} measuredMs={d.betweenStepsMs} estimatedMs={null} attempts={null} />
            <DowntimeRow label={<strong>Total</strong>} measuredMs={d.totalMs} estimatedMs={d.estimate?.totalMs ?? null} attempts={null} total />
          </tbody>
        </table>
      </div>
      {d.copy.measuredMs !== null && (
        <p className="text-slate-600" data-testid="copy-estimate">
          The copy took {formatDuration(d.copy.measuredMs)}
          {d.copy.estimatedMs !== null && d.copy.differenceMs !== null && (
            <>
              {" "}
              against an estimate of {formatDuration(d.copy.estimatedMs)} ({d.copy.differenceMs >= 0 ? `${formatDuration(d.copy.differenceMs)} longer` : `${formatDuration(-d.copy.differenceMs)} shorter`})
            </>
          )}
          .
        </p>
      )}
    </div>
  );
}

const ENDED_BY: Record<string, string> = {
  maintenance_off: "It ended when the cutover turned maintenance mode off.",
  rollback_maintenance_off: "It ended when the rollback turned maintenance mode off.",
  run_end: "Maintenance mode was not turned off by the run; the span is counted until the run ended.",
  now: "Maintenance mode is still on.",
};

function DowntimeRow({ label, measuredMs, estimatedMs, attempts, total = false }: { label: ReactNode; measuredMs: number | null; estimatedMs: number | null; attempts: number | null; total?: boolean }) {
  const diff = measuredMs !== null && estimatedMs !== null ? measuredMs - estimatedMs : null;
  // Over the estimate by half again (and a few seconds) is worth a look next time.
  const over = diff !== null && estimatedMs !== null && diff > Math.max(5_000, estimatedMs * 0.5);
  return (
    <tr className={total ? "border-t-2 border-slate-300" : ""}>
      <td className="py-1 pr-3">{label}</td>
      <td className="py-1 pr-3 text-right">{measuredMs === null ? "—" : formatStepTime(measuredMs)}</td>
      <td className="py-1 pr-3 text-right text-slate-600">{estimatedMs === null ? "—" : formatStepTime(estimatedMs)}</td>
      <td className={`py-1 pr-3 text-right ${over ? "font-semibold text-amber-800" : "text-slate-600"}`}>{diff === null ? "" : Math.abs(diff) < 100 ? "±0" : `${diff > 0 ? "+" : "−"}${formatStepTime(Math.abs(diff))}`}</td>
      <td className="py-1 pr-3 text-right text-slate-600">{attempts === null ? "" : attempts}</td>
    </tr>
  );
}
