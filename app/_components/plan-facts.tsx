"use client";

import Link from "next/link";
import { useMe } from "@/app/_lib/use-me";
import type { CutoverDetail } from "./plan-form";
import { StartCheckButton } from "./run-kind-button";
import { StatusBadge } from "./status-badge";
import { Card, formatSpan } from "./ui";

const ACTIVE = ["queued", "running", "cancelling", "rolling_back"];

/** The preflight's findings and the copy estimate against the window. */
export function PlanFacts({ cutover: c }: { cutover: CutoverDetail }) {
  const { can } = useMe();
  const active = c.runs.find((r) => ACTIVE.includes(r.status));
  const p = c.preflight;
  const e = c.estimate;
  const facts = (p?.facts ?? {}) as Facts;
  return (
    <Card
      title="Preflight and estimate"
      id="preflight-heading"
      actions={
        can("run.start") && (
          <span className="flex gap-2">
            <StartCheckButton cutoverId={c.id} kind="preflight" label="Run preflight" disabled={Boolean(active) || !c.target} />
            <StartCheckButton cutoverId={c.id} kind="rehearsal" label="Run rehearsal" disabled={Boolean(active) || !c.target || !c.rehearsalTarget} />
          </span>
        )
      }
    >
      {can("run.start") && !c.target && <p className="mb-2 text-xs text-slate-500">Set the target database URL (Edit plan) to run a preflight.</p>}
      {can("run.start") && c.target && !c.rehearsalTarget && <p className="mb-2 text-xs text-slate-500">A rehearsal needs a rehearsal database URL (Edit plan).</p>}
      {active && (active.kind === "preflight" || active.kind === "rehearsal") && (
        <p role="status" className="mb-2 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid="check-running">
          The {active.kind} is {active.status.replace(/_/g, " ")}… the result appears here when it finishes.{" "}
          <Link href={`/runs/${active.id}`} className="underline">
            Follow its log
          </Link>
        </p>
      )}
      {!p ? (
        <p className="text-sm text-slate-600">No preflight yet. It reads the app and both databases, checks tool versions, and records the smoke baseline; it changes nothing.</p>
      ) : (
        <div className="space-y-2 text-sm" data-testid="preflight-result">
          <p className="flex flex-wrap items-center gap-2">
            Latest preflight: <StatusBadge status={p.status} /> {p.finishedAt && <span className="text-slate-500">{new Date(p.finishedAt).toLocaleString()}</span>}
            <Link href={`/runs/${p.runId}`} className="text-slate-600 underline">
              its run
            </Link>
          </p>
          {p.problems.length > 0 ? (
            <ul className="space-y-1" aria-label="Preflight problems">
              {p.problems.map((problem) => (
                <li key={problem} className="rounded-md bg-red-50 px-3 py-2 text-red-900">
                  {problem}
                </li>
              ))}
            </ul>
          ) : (
            p.status === "succeeded" && <p className="text-emerald-800">No problems found.</p>
          )}
          <FactList facts={facts} />
        </div>
      )}
      {e.copyMs !== null && (
        <p className={`mt-3 rounded-md px-3 py-2 text-sm ${e.fits === false ? "bg-red-50 text-red-900" : "bg-emerald-50 text-emerald-900"}`} data-testid="estimate">
          Estimated copy time <strong>{formatSpan(e.copyMs)}</strong> ({e.basis === "rehearsal" ? "measured by a rehearsal" : "from the preflight's rule of thumb; run a rehearsal to measure it"})
          {e.windowMs !== null ? (
            <>
              {" "}
              against a {formatSpan(e.windowMs)} window: <strong>{e.fits ? "fits" : "does not fit — lengthen the window or speed up the copy"}</strong>
            </>
          ) : (
            " — schedule the window to compare"
          )}
          .
        </p>
      )}
    </Card>
  );
}

type Facts = { sourceSizeBytes?: number; serverVersion?: string; targetEmpty?: boolean; estimatedCopyMs?: number; sourceAddon?: string; attachmentNames?: string[] };

function FactList({ facts: f }: { facts: Facts }) {
  const rows: Array<[string, string]> = [];
  if (f.sourceAddon) rows.push(["Source add-on", `${f.sourceAddon}${f.attachmentNames?.length ? ` (attached as ${f.attachmentNames.join(", ")})` : ""}`]);
  if (f.sourceSizeBytes !== undefined) rows.push(["Source size", `${(f.sourceSizeBytes / 1e6).toFixed(1)} MB`]);
  if (f.serverVersion) rows.push(["Target server", `PostgreSQL ${f.serverVersion}`]);
  if (f.targetEmpty !== undefined) rows.push(["Target", f.targetEmpty ? "empty" : "not empty"]);
  if (rows.length === 0) return null;
  return (
    <dl className="grid gap-1 sm:grid-cols-[10rem_1fr]" aria-label="Preflight facts">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
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
