"use client";

import { useMe } from "@/app/_lib/use-me";
import type { CutoverDetail } from "./plan-form";
import { StartCheckButton } from "./run-kind-button";
import { StatusBadge } from "./status-badge";
import { Card, formatDuration } from "./ui";

const ACTIVE = ["queued", "running", "cancelling", "rolling_back"];

/** The preflight's findings and the copy estimate against the window. */
export function PlanFacts({ cutover: c }: { cutover: CutoverDetail }) {
  const { can } = useMe();
  const busy = c.runs.some((r) => ACTIVE.includes(r.status));
  const p = c.preflight;
  const e = c.estimate;
  return (
    <Card
      title="Preflight and estimate"
      id="preflight-heading"
      actions={
        can("run.start") && (
          <span className="flex gap-2">
            <StartCheckButton cutoverId={c.id} kind="preflight" label="Run preflight" disabled={busy || !c.target} />
            <StartCheckButton cutoverId={c.id} kind="rehearsal" label="Run rehearsal" disabled={busy || !c.target || !c.rehearsalTarget} />
          </span>
        )
      }
    >
      {!p ? (
        <p className="text-sm text-slate-600">No preflight yet. It reads the app and both databases, checks tool versions, and records the smoke baseline; it changes nothing.</p>
      ) : (
        <div className="space-y-2 text-sm" data-testid="preflight-result">
          <p className="flex items-center gap-2">
            Latest preflight: <StatusBadge status={p.status} /> {p.finishedAt && <span className="text-slate-500">{new Date(p.finishedAt).toLocaleString()}</span>}
          </p>
          {p.problems.map((problem) => (
            <p key={problem} className="rounded-md bg-red-50 px-3 py-2 text-red-900">
              {problem}
            </p>
          ))}
          {p.facts.sourceSizeBytes !== undefined && (
            <p>
              Source database: {(p.facts.sourceSizeBytes / 1e6).toFixed(1)} MB{p.facts.sourceAddon && <> in add-on {p.facts.sourceAddon}</>}
              {p.facts.attachmentNames && <> (attached as {p.facts.attachmentNames.join(", ")})</>}.
            </p>
          )}
        </div>
      )}
      {e.copyMs !== null && (
        <p className={`mt-3 rounded-md px-3 py-2 text-sm ${e.fits === false ? "bg-red-50 text-red-900" : "bg-emerald-50 text-emerald-900"}`} data-testid="estimate">
          Estimated copy time {formatDuration(e.copyMs)} ({e.basis === "rehearsal" ? "measured by a rehearsal" : "rule of thumb; run a rehearsal to measure it"})
          {e.windowMs !== null && <> for a {formatDuration(e.windowMs)} window: {e.fits ? "fits" : "does NOT fit"}</>}.
        </p>
      )}
    </Card>
  );
}

/** What each smoke URL answered before any change: the yardstick for after the switch. */
export function SmokeBaseline({ cutover: c }: { cutover: CutoverDetail }) {
  const checks = c.smokeChecks as Array<{ url: string; expectStatus: number; maxLatencyMs: number; expectText?: string }>;
  const baseline = new Map(c.smokeBaseline.map((b) => [b.url, b]));
  return (
    <Card title="Smoke checks and baseline" id="smoke-heading">
      {checks.length === 0 ? (
        <p className="text-sm text-slate-600">No smoke checks. Add the URLs that prove the app works, so the run can compare them before and after.</p>
      ) : (
        <table className="min-w-full text-sm" aria-label="Smoke baseline">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3">URL</th>
              <th className="py-1 pr-3">Expects</th>
              <th className="py-1 pr-3">Baseline</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {checks.map((s) => {
              const b = baseline.get(s.url);
              return (
                <tr key={s.url}>
                  <td className="py-1 pr-3 font-mono text-xs">{s.url}</td>
                  <td className="py-1 pr-3 text-slate-600">
                    {s.expectStatus}, ≤ {s.maxLatencyMs} ms{s.expectText ? `, “${s.expectText}”` : ""}
                  </td>
                  <td className="py-1 pr-3">
                    {b ? (
                      <span className={b.ok ? "text-emerald-800" : "text-red-800"}>
                        {b.ok ? "ok" : "failing"} · {b.statusCode ?? "no answer"} · {b.latencyMs ?? "–"} ms{b.failedChecks.length > 0 && ` · ${b.failedChecks.join("; ")}`}
                      </span>
                    ) : (
                      <span className="text-slate-500">not measured yet (run a preflight)</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}
