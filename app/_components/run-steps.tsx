"use client";

import type { RunView } from "@/lib/run/get-run";
import { StatusBadge } from "./status-badge";
import { formatDuration } from "./ui";

/** Forward steps, then rollback steps: status, duration (ticking while running), attempts, error. */
export function StepTimeline({ steps, now }: { steps: RunView["steps"]; now: number }) {
  return (
    <ol className="divide-y divide-slate-100 text-sm" aria-label="Step timeline">
      {steps.map((s) => {
        const running = s.status === "running" && s.startedAt;
        const ms = running ? now - new Date(s.startedAt!).getTime() : s.durationMs;
        return (
          <li key={`${s.phase}:${s.key}`} className="grid items-start gap-2 py-2 sm:grid-cols-[9rem_11rem_1fr_6rem_5rem]" data-testid="step-row" data-step={s.key} data-step-status={s.status}>
            <span>
              <StatusBadge status={s.status} />
            </span>
            <code className="text-xs font-semibold">
              {s.phase === "rollback" && <span className="mr-1 text-orange-700">↩</span>}
              {s.key}
            </code>
            <span className="text-slate-700">
              {s.description}
              {s.error && <span className="mt-1 block text-red-800">{s.error}</span>}
            </span>
            <span className="tabular-nums text-slate-600">{ms === null ? "" : formatDuration(ms)}</span>
            <span className="text-xs text-slate-500">{s.attempts > 1 ? `${s.attempts} attempts` : ""}</span>
          </li>
        );
      })}
    </ol>
  );
}
