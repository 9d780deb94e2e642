"use client";

import type { RunView } from "@/lib/run/get-run";
import { formatDuration } from "./ui";

type Phase = RunView["smoke"][number]["baseline"];

/** Per URL: baseline, after the switch, after a rollback; a regression from the baseline is highlighted. */
export function SmokeComparison({ smoke, checks }: { smoke: RunView["smoke"]; checks: Array<{ url: string; maxLatencyMs: number }> }) {
  const budget = new Map(checks.map((c) => [c.url, c.maxLatencyMs]));
  return (
    <table className="min-w-full text-sm" aria-label="Smoke comparison">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1 pr-3">URL</th>
          <th className="py-1 pr-3">Baseline</th>
          <th className="py-1 pr-3">After switch</th>
          <th className="py-1 pr-3">After rollback</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {smoke.map((s) => (
          <tr key={s.url} data-testid="smoke-row">
            <td className="py-2 pr-3 font-mono text-xs">{s.url}</td>
            <PhaseCell result={s.baseline} baseline={null} budget={budget.get(s.url)} />
            <PhaseCell result={s.afterSwitch} baseline={s.baseline} budget={budget.get(s.url)} />
            <PhaseCell result={s.afterRollback} baseline={s.baseline} budget={budget.get(s.url)} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PhaseCell({ result, baseline, budget }: { result: Phase; baseline: Phase; budget?: number }) {
  if (!result) return <td className="py-2 pr-3 text-slate-400">—</td>;
  const regressions = regressionsOf(result, baseline, budget);
  return (
    <td className={`py-2 pr-3 ${regressions.length ? "bg-red-50 text-red-900" : result.ok ? "text-emerald-900" : "text-red-900"}`} data-regression={regressions.length > 0 || undefined}>
      <span className="font-medium">{result.ok ? "ok" : "failed"}</span> · {result.statusCode ?? "no answer"} · {result.latencyMs ?? "–"} ms
      {result.failedChecks.map((c) => (
        <span key={c} className="block text-xs">
          {c}
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

function regressionsOf(r: NonNullable<Phase>, base: Phase, budget?: number): string[] {
  if (!base) return [];
  const out: string[] = [];
  if (base.ok && !r.ok) out.push("was ok at baseline");
  if (base.statusCode !== null && r.statusCode !== base.statusCode) out.push(`status ${base.statusCode} → ${r.statusCode ?? "none"}`);
  if (r.latencyMs !== null && base.latencyMs !== null && budget && r.latencyMs > budget) out.push(`over the ${budget} ms budget`);
  else if (r.latencyMs !== null && base.latencyMs !== null && r.latencyMs > base.latencyMs * 3 && r.latencyMs - base.latencyMs > 200) out.push("much slower than baseline");
  return out;
}

/** Time customers saw the maintenance page, step by step, beside the preflight's estimate. */
export function DowntimeReport({ downtime: d }: { downtime: RunView["downtime"] }) {
  const estimate = new Map((d.estimate?.steps ?? []).map((s) => [s.key, s.ms]));
  return (
    <div className="space-y-3 text-sm">
      <p data-testid="downtime-total">
        Customers saw the maintenance page for <strong>{formatDuration(d.totalMs)}</strong>
        {d.ongoing && " so far"}
        {d.estimate && (
          <>
            {" "}
            (estimated {formatDuration(d.estimate.totalMs)}, {d.estimate.basis === "rehearsal" ? "copy measured by a rehearsal" : "rule of thumb"})
          </>
        )}
        .
      </p>
      <table className="min-w-full text-sm" aria-label="Downtime by step">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1 pr-3">Step</th>
            <th className="py-1 pr-3">Measured</th>
            <th className="py-1 pr-3">Estimated</th>
            <th className="py-1 pr-3">Attempts</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {d.steps.map((s) => (
            <tr key={s.key}>
              <td className="py-1 pr-3 font-mono text-xs">{s.key}</td>
              <td className="py-1 pr-3 tabular-nums">{formatDuration(s.ms)}</td>
              <td className="py-1 pr-3 tabular-nums text-slate-500">{estimate.has(s.key) ? formatDuration(estimate.get(s.key)!) : "—"}</td>
              <td className="py-1 pr-3">{s.attempts}</td>
            </tr>
          ))}
          <tr>
            <td className="py-1 pr-3 text-slate-500">between steps</td>
            <td className="py-1 pr-3 tabular-nums">{formatDuration(d.betweenStepsMs)}</td>
            <td />
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
