"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiGet } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { windowLabels } from "@/lib/time/format-window";
import { AuditTrail } from "./audit-trail";
import type { CutoverDetail } from "./plan-form";
import { PlanFacts, SmokeBaseline } from "./plan-facts";
import { SignOffPanel } from "./plan-signoff";
import { StartPanel } from "./plan-start";
import { StatusBadge } from "./status-badge";
import { Alert, Card, Loading } from "./ui";

const ACTIVE = ["queued", "running", "cancelling", "rolling_back"];

/** One plan: what it will do, whether it may start, who signed off, and its runs. */
export function PlanView({ cutoverId }: { cutoverId: string }) {
  const { can } = useMe();
  const cutover = useQuery({
    queryKey: queryKeys.cutover(cutoverId),
    queryFn: () => apiGet<CutoverDetail>(`/api/cutovers/${cutoverId}`),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => ACTIVE.includes(r.status)) ? 1_500 : 15_000),
  });
  if (cutover.isPending) return <Loading what="the plan" />;
  if (cutover.error) return <Alert>Could not load the plan: {cutover.error.message}</Alert>;
  const c = cutover.data;
  const activeRun = c.runs.find((r) => ACTIVE.includes(r.status));
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{c.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <StatusBadge status={c.status} /> {c.app.name} · plan version {c.version} ·{" "}
            <code title={c.planHash} data-testid="plan-hash">
              {c.planHash.slice(0, 12)}
            </code>
          </p>
        </div>
        {can("cutover.edit") && c.status === "draft" && !activeRun && (
          <Link href={`/cutovers/${c.id}/edit`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            Edit plan
          </Link>
        )}
      </header>
      {activeRun && (
        <Alert tone="info">
          A {activeRun.kind} run is {activeRun.status}.{" "}
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
          <dd>{c.target ? <code>{c.target}</code> : <span className="text-amber-800">not set yet</span>}</dd>
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
        <ol className="divide-y divide-slate-100 text-sm" aria-label="Plan steps">
          {c.steps.map((s, i) => (
            <li key={s.key} className="grid gap-1 py-2 sm:grid-cols-[2rem_10rem_1fr]">
              <span className="tabular-nums text-slate-400">{i + 1}.</span>
              <code className="text-xs font-semibold">{s.key}</code>
              <span>
                {s.description}
                {s.rollback && <span className="block text-xs text-slate-500">Rollback: {rollbackText(s.rollback as { kind: string; params: Record<string, unknown> })}</span>}
              </span>
            </li>
          ))}
        </ol>
      </Card>
      <SmokeBaseline cutover={c} />
      <Card title="Runs" id="runs-heading">
        {c.runs.length === 0 ? (
          <p className="text-sm text-slate-600">No runs yet. Run a preflight to check the app and the target, or a rehearsal to measure the copy.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {c.runs.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 py-2">
                <StatusBadge status={r.status} />
                <Link href={`/runs/${r.id}`} className="font-medium underline">
                  {r.kind} run
                </Link>
                <span className="text-slate-500">{new Date(r.createdAt).toLocaleString()}</span>
                {r.error && <span className="text-red-700">{r.error}</span>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Audit trail of this cutover" id="audit-heading">
        <AuditTrail cutoverId={c.id} compact />
      </Card>
    </div>
  );
}

function WindowText({ c }: { c: CutoverDetail }) {
  if (!c.windowStartsAt || !c.windowEndsAt) return <span className="text-amber-800">not scheduled</span>;
  const labels = windowLabels(String(c.windowStartsAt), String(c.windowEndsAt), c.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  return (
    <span>
      {labels.viewer}
      {labels.plan && <span className="block text-xs text-slate-500">Plan&apos;s zone: {labels.plan}</span>}
    </span>
  );
}

function rollbackText(r: { kind: string; params: Record<string, unknown> }): string {
  if (r.kind === "heroku.maintenance") return `maintenance ${r.params.on ? "on" : "off"}`;
  if (r.kind === "heroku.promote_source") return "promote the source database back to DATABASE (as heroku pg:promote does)";
  if (r.kind === "heroku.restore_formation") return "scale process types back to the remembered formation";
  return r.kind;
}
