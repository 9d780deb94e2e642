"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { windowLabels } from "@/lib/time/format-window";
import { apiGet, ApiError } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { AuditTrail } from "./audit-trail";
import type { CutoverDetail } from "./plan-form";
import { PlanFacts, SmokeBaseline } from "./plan-facts";
import { NotificationsCard } from "./plan-notify-view";
import { SignOffPanel } from "./plan-signoff";
import { StartPanel } from "./plan-start";
import { StatusBadge } from "./status-badge";
import { Alert, Card, formatDuration, formatSpan, Loading, LoadError } from "./ui";

export const ACTIVE_RUN = ["queued", "running", "cancelling", "rolling_back"];

/** One plan: what it will do, whether it may start, who signed off, and its runs. */
export function PlanView({ cutoverId }: { cutoverId: string }) {
  const { can } = useMe();
  const cutover = useQuery({
    queryKey: queryKeys.cutover(cutoverId),
    queryFn: () => apiGet<CutoverDetail>(`/api/cutovers/${cutoverId}`),
    // Poll quickly while a run is active (a preflight's result lands on this page), slowly otherwise.
    refetchInterval: (q) => (q.state.data?.runs.some((r) => ACTIVE_RUN.includes(r.status)) ? 1_500 : 15_000),
  });
  if (cutover.isPending) return <Loading what="the plan" />;
  if (cutover.error) {
    if (cutover.error instanceof ApiError && cutover.error.status === 404) {
      return (
        <Alert>
          There is no such cutover (it may have been removed).{" "}
          <Link href="/" className="underline">
            Back to the cutovers
          </Link>
        </Alert>
      );
    }
    return <LoadError what="the plan" error={cutover.error} retry={() => void cutover.refetch()} />;
  }
  const c = cutover.data;
  const activeRun = c.runs.find((r) => ACTIVE_RUN.includes(r.status));
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{c.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <StatusBadge status={c.status} testId="cutover-status" /> <span>{c.app.name}</span> ·{" "}
            <span data-testid="plan-version">plan version {c.version}</span> ·{" "}
            <code title={`Plan hash ${c.planHash}`} data-testid="plan-hash">
              {c.planHash.slice(0, 12)}
            </code>
          </p>
        </div>
        {can("cutover.edit") && c.status === "draft" && !activeRun && (
          <Link
            href={`/cutovers/${c.id}/edit`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
          >
            Edit plan
          </Link>
        )}
      </header>
      {activeRun && (
        <Alert tone="info">
          A {activeRun.kind} run is {activeRun.status.replace(/_/g, " ")}; this page updates as it goes.{" "}
          <Link className="font-medium underline" href={`/runs/${activeRun.id}`}>
            Watch it live
          </Link>
        </Alert>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <StartPanel cutover={c} activeRunId={activeRun?.id ?? null} />
        <SignOffPanel cutover={c} />
      </div>
      <Card title="Target and window" id="target-heading">
        <dl className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="text-slate-500">Target database</dt>
          <dd>{c.target ? <code data-testid="target-masked">{c.target}</code> : <span className="text-amber-800">not set yet</span>}</dd>
          <dt className="text-slate-500">Rehearsal database</dt>
          <dd>{c.rehearsalTarget ? <code>{c.rehearsalTarget}</code> : <span className="text-slate-500">none</span>}</dd>
          <dt className="text-slate-500">Window</dt>
          <dd>
            <WindowText c={c} />
          </dd>
          <dt className="text-slate-500">Required sign-offs</dt>
          <dd>{c.requiredApprovals}</dd>
        </dl>
      </Card>
      <PlanFacts cutover={c} />
      <Card title="Steps" id="steps-heading">
        <StepsTable steps={c.steps} />
      </Card>
      <SmokeBaseline cutover={c} />
      <NotificationsCard cutover={c} />
      <Card title="Runs" id="runs-heading">
        <RunsList runs={c.runs} />
      </Card>
      <Card title="Audit trail of this cutover" id="audit-heading">
        <AuditTrail cutoverId={c.id} compact />
      </Card>
    </div>
  );
}

/** Re-renders every `ms` so countdowns move. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function WindowText({ c }: { c: CutoverDetail }) {
  const now = useNow(1_000);
  if (!c.windowStartsAt || !c.windowEndsAt) return <span className="text-amber-800">not scheduled</span>;
  const [start, end] = [new Date(c.windowStartsAt).getTime(), new Date(c.windowEndsAt).getTime()];
  const labels = windowLabels(String(c.windowStartsAt), String(c.windowEndsAt), c.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  const phase =
    now < start
      ? { text: `opens in ${formatSpan(start - now)}`, style: "bg-sky-50 text-sky-900 ring-sky-300" }
      : now < end
        ? { text: `open now — closes in ${formatSpan(end - now)}`, style: "bg-emerald-50 text-emerald-900 ring-emerald-300" }
        : { text: `closed ${formatSpan(now - end)} ago`, style: "bg-slate-100 text-slate-700 ring-slate-300" };
  return (
    <span>
      <span className="block">
        {labels.viewer} <span className="text-xs text-slate-500">(your time)</span>
      </span>
      {labels.plan && <span className="block text-xs text-slate-500">Plan&apos;s zone: {labels.plan}</span>}
      <span className={`mt-1 inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${phase.style}`} data-testid="window-phase">
        {phase.text}
      </span>
    </span>
  );
}

function StepsTable({ steps }: { steps: CutoverDetail["steps"] }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" aria-label="Plan steps">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3">#</th>
            <th scope="col" className="py-1 pr-3">Step</th>
            <th scope="col" className="py-1 pr-3">What it does</th>
            <th scope="col" className="py-1">On rollback</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {steps.map((s, i) => (
            <tr key={s.key} data-testid="plan-step" data-step={s.key}>
              <td className="py-2 pr-3 tabular-nums text-slate-400">{i + 1}</td>
              <td className="py-2 pr-3">
                <span className="block">{s.title}</span>
                <code className="text-xs font-semibold">{s.key}</code>
              </td>
              <td className="py-2 pr-3">
                {s.description}
                <StepParams step={s} />
              </td>
              <td className="py-2 text-slate-600">{s.undoes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The settings approvers sign off on; long texts (SQL, commands) shown whole, as they will run. */
function StepParams({ step }: { step: CutoverDetail["steps"][number] }) {
  const shown = Object.entries(step.params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  if (shown.length === 0) return null;
  return (
    <dl className="mt-1 grid gap-1 text-xs" data-testid="step-params">
      {shown.map(([name, value]) => (
        <div key={name}>
          <dt className="inline text-slate-500">{name}: </dt>
          <dd className="inline">
            {typeof value === "string" && (value.includes("\n") || value.length > 80) ? (
              <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono">{value}</pre>
            ) : (
              <code>{JSON.stringify(value)}</code>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function RunsList({ runs }: { runs: CutoverDetail["runs"] }) {
  if (runs.length === 0) return <p className="text-sm text-slate-600">No runs yet. Run a preflight to check the app and the target, or a rehearsal to measure the copy.</p>;
  return (
    <table className="min-w-full text-sm" aria-label="Runs">
      <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-3">Run</th>
          <th scope="col" className="py-1 pr-3">Status</th>
          <th scope="col" className="py-1 pr-3">Created</th>
          <th scope="col" className="py-1">Took</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {runs.map((r) => (
          <tr key={r.id} data-testid="run-row">
            <td className="py-2 pr-3">
              <Link href={`/runs/${r.id}`} className="font-medium underline">
                {r.kind} run
              </Link>
              {r.error && <span className="block text-xs text-red-700">{r.error}</span>}
            </td>
            <td className="py-2 pr-3">
              <StatusBadge status={r.status} />
            </td>
            <td className="py-2 pr-3 text-slate-600">
              <time dateTime={String(r.createdAt)}>{new Date(r.createdAt).toLocaleString()}</time>
            </td>
            <td className="py-2 tabular-nums text-slate-600">{r.startedAt && r.finishedAt ? formatDuration(new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime()) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
