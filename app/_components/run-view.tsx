"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import type { getCutover } from "@/lib/cutover/get-cutover";
import type { RunView as RunData } from "@/lib/run/get-run";
import { apiGet, ApiError } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { LogViewer } from "./log-viewer";
import { RunActions } from "./run-actions";
import { WaitingPanel } from "./run-waiting";
import { DowntimeReport, SmokeComparison } from "./run-reports";
import { RunHistory, StepTimeline } from "./run-steps";
import { StatusBadge } from "./status-badge";
import { Alert, Card, formatDuration, LoadError, Loading } from "./ui";

type Cutover = Awaited<ReturnType<typeof getCutover>>;

export const ACTIVE_RUN_STATUSES = ["queued", "running", "cancelling", "rolling_back"];
const KIND_TITLE: Record<string, string> = { live: "Live cutover", rehearsal: "Rehearsal", preflight: "Preflight" };
const ms = (at: string | Date | null | undefined) => (at ? new Date(at).getTime() : null);

/** One run, live: header, timers, steps, the log, the downtime report, smoke results, cancel and rollback. */
export function RunView({ runId }: { runId: string }) {
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: queryKeys.run(runId),
    queryFn: () => apiGet<RunData>(`/api/runs/${runId}`),
    // Every second while the run moves; a finished run changes only on a ws "status" message.
    refetchInterval: (q) => (q.state.data && !ACTIVE_RUN_STATUSES.includes(q.state.data.status) ? false : 1_000),
    retry: (count, err) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && count < 2,
  });
  const cutoverId = run.data?.cutoverId;
  const cutover = useQuery({ queryKey: queryKeys.cutover(cutoverId ?? ""), queryFn: () => apiGet<Cutover>(`/api/cutovers/${cutoverId}`), enabled: Boolean(cutoverId) });
  const active = run.data ? ACTIVE_RUN_STATUSES.includes(run.data.status) : false;
  const now = useNow(active || (run.data?.maintenance.since != null && run.data.maintenance.until === null) || Boolean(cutover.data?.windowEndsAt));
  const onStatus = useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.run(runId) }), [queryClient, runId]);

  if (run.isPending) return <Loading what="the run" />;
  if (run.error && !run.data) {
    if (run.error instanceof ApiError && run.error.status === 404) return <Alert>There is no run with id {runId}. It may have been typed wrong; the cutover page lists its runs.</Alert>;
    return <LoadError what="the run" error={run.error} retry={() => void run.refetch()} />;
  }
  const r = run.data;
  const finished = !active;
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
            <Link href={`/cutovers/${r.cutoverId}`} className="font-medium text-slate-800 underline decoration-slate-300 underline-offset-2 hover:decoration-slate-800">
              {cutover.data?.name ?? "Cutover"}
            </Link>
            {cutover.data && <span> · {cutover.data.app.name}</span>}
          </nav>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold">
            {KIND_TITLE[r.kind] ?? r.kind}
            <StatusBadge status={r.status} testId="run-status" />
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            {r.startedAt ? <>Started {new Date(r.startedAt).toLocaleString()}</> : <>Queued {new Date(r.createdAt).toLocaleString()}, waiting for a worker</>}
            {r.finishedAt && <>, finished {new Date(r.finishedAt).toLocaleString()}</>}
          </p>
        </div>
        <RunActions run={r} />
      </header>
      {run.error && (
        <Alert tone="warning">
          Could not refresh the run ({run.error.message}); showing what was last loaded. Retrying…
        </Alert>
      )}
      {r.error && (
        <Alert>
          <span className="font-semibold">The run stopped: </span>
          {r.error}
        </Alert>
      )}
      {r.status === "rolling_back" && <Alert tone="warning">Rolling back: the steps below marked ↩ undo the cutover one by one.</Alert>}
      {r.status === "cancelling" && <Alert tone="warning">Cancelling: the current step is being stopped.</Alert>}

      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Maintenance page" testId="maintenance-timer" urgent={r.maintenance.since !== null && r.maintenance.until === null}>
          <MaintenanceText since={ms(r.maintenance.since)} until={ms(r.maintenance.until)} now={now} />
        </Stat>
        <Stat label="Maintenance window" testId="window-remaining">
          <WindowText startsAt={ms(cutover.data?.windowStartsAt)} endsAt={ms(cutover.data?.windowEndsAt)} now={now} loaded={Boolean(cutover.data)} />
        </Stat>
        <Stat label="Run time" testId="run-time">
          {r.startedAt ? formatDuration((ms(r.finishedAt) ?? now) - ms(r.startedAt)!) : "not started"}
        </Stat>
      </div>

      {r.waiting && <WaitingPanel run={r} waiting={r.waiting} startedById={r.startedById} />}
      <Card title="Steps" id="steps-heading">
        <StepTimeline steps={r.steps} now={now} finished={finished} />
      </Card>
      <Card title="Log" id="log-heading">
        <LogViewer runId={r.id} cutoverId={r.cutoverId} onStatus={onStatus} />
      </Card>
      {finished && r.downtime.since && (
        <Card title="Downtime report" id="downtime-heading">
          <DowntimeReport downtime={r.downtime} />
        </Card>
      )}
      {r.smoke.length > 0 && (
        <Card title="Smoke checks" id="smoke-heading">
          <SmokeComparison smoke={r.smoke} checks={smokeBudgets(cutover.data?.smokeChecks)} />
        </Card>
      )}
      <RunHistory transitions={r.transitions} />
    </div>
  );
}

function MaintenanceText({ since, until, now }: { since: number | null; until: number | null; now: number }) {
  if (since === null) return <>Customers have not seen the maintenance page.</>;
  if (until === null) return <>Customers have seen the maintenance page for {formatDuration(now - since)}</>;
  return <>Customers saw the maintenance page for {formatDuration(until - since)}</>;
}

function WindowText({ startsAt, endsAt, now, loaded }: { startsAt: number | null; endsAt: number | null; now: number; loaded: boolean }) {
  if (!loaded) return <>…</>;
  if (endsAt === null) return <>No window scheduled</>;
  if (startsAt !== null && now < startsAt) return <>Opens in {formatDuration(startsAt - now)}</>;
  if (now >= endsAt) return <span className="text-red-800">Closed {formatDuration(now - endsAt)} ago</span>;
  const left = endsAt - now;
  return <span className={left < 15 * 60_000 ? "font-semibold text-amber-800" : ""}>{formatDuration(left)} left in the window</span>;
}

function Stat({ label, children, testId, urgent = false }: { label: string; children: ReactNode; testId: string; urgent?: boolean }) {
  return (
    <div className={`rounded-lg border p-4 ${urgent ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-white"}`}>
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-base tabular-nums" data-testid={testId}>
        {children}
      </p>
    </div>
  );
}

function smokeBudgets(checks: unknown): Array<{ url: string; maxLatencyMs: number }> {
  return Array.isArray(checks) ? checks.filter((c): c is { url: string; maxLatencyMs: number } => typeof c?.url === "string" && typeof c?.maxLatencyMs === "number") : [];
}

/** The clock, ticking each second while something on the page counts. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return now;
}
