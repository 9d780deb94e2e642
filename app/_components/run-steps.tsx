"use client";

import type { RunView } from "@/lib/run/get-run";
import { StatusBadge } from "./status-badge";
import { formatDuration } from "./ui";

type Step = RunView["steps"][number];

/** A step-sized span: "0.4 s", "12 s", then "4:12" (sub-second steps are common and worth seeing). */
export function formatStepTime(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  return formatDuration(ms);
}

/** Forward steps, then rollback steps: status, duration (ticking while running), attempts, error. */
export function StepTimeline({ steps, now, finished = false }: { steps: RunView["steps"]; now: number; finished?: boolean }) {
  const forward = steps.filter((s) => s.phase === "forward");
  const rollback = steps.filter((s) => s.phase === "rollback");
  if (steps.length === 0) return <p className="text-sm text-slate-600">{finished ? "This run recorded no steps." : "No steps yet: the run waits for a worker."}</p>;
  return (
    <div className="space-y-4">
      <StepList steps={forward} now={now} label="Cutover steps" />
      {rollback.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-semibold text-orange-800">↩ Rollback</h3>
          <StepList steps={rollback} now={now} label="Rollback steps" />
        </div>
      )}
    </div>
  );
}

function StepList({ steps, now, label }: { steps: Step[]; now: number; label: string }) {
  return (
    <ol className="divide-y divide-slate-100 text-sm" aria-label={label}>
      {steps.map((s) => {
        const running = s.status === "running" && s.startedAt;
        const duration = running ? now - new Date(s.startedAt!).getTime() : s.durationMs;
        return (
          <li
            key={`${s.phase}:${s.key}`}
            className={`grid items-start gap-x-3 gap-y-1 py-2 sm:grid-cols-[8rem_12rem_1fr_5rem_6rem] ${running ? "bg-sky-50/60" : ""}`}
            data-testid="step-row"
            data-step={s.key}
            data-step-status={s.status}
            aria-current={running ? "step" : undefined}
          >
            <span>
              <StatusBadge status={s.status} />
            </span>
            <code className="text-xs font-semibold text-slate-800">{s.key}</code>
            <span className="text-slate-700">
              {s.description}
              {s.error && <span className="mt-1 block whitespace-pre-wrap break-words text-red-800">{s.error}</span>}
            </span>
            <span className="tabular-nums text-slate-700" aria-label={duration === null ? undefined : `duration ${formatStepTime(duration)}`}>
              {duration === null ? "" : formatStepTime(duration)}
            </span>
            <span className={`text-xs ${s.attempts > 1 ? "font-medium text-amber-800" : "text-slate-500"}`}>{s.attempts > 1 ? `${s.attempts} attempts` : s.attempts === 1 ? "1 attempt" : ""}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Every status change of the run (newest last), folded away: who moved it, when and why. */
export function RunHistory({ transitions }: { transitions: RunView["transitions"] }) {
  const runMoves = transitions.filter((t) => !t.stepRunId);
  if (runMoves.length === 0) return null;
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <summary className="cursor-pointer font-semibold">Status history ({runMoves.length})</summary>
      <ol className="mt-2 space-y-1" aria-label="Status history">
        {runMoves.map((t, i) => (
          <li key={i} className="flex flex-wrap gap-x-3">
            <time className="tabular-nums text-slate-500" dateTime={String(t.at)}>
              {new Date(t.at).toLocaleString()}
            </time>
            <span>
              {t.from ?? "—"} → <strong>{t.to}</strong>
            </span>
            <span className="text-slate-600">{t.actor}</span>
            {t.reason && <span className="text-slate-600">“{t.reason}”</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}
