"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { RunView as RunData } from "@/lib/run/get-run";
import { apiGet } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import type { CutoverDetail } from "./plan-form";
import { LogViewer } from "./log-viewer";
import { RunActions } from "./run-actions";
import { DowntimeReport, SmokeComparison } from "./run-reports";
import { StepTimeline } from "./run-steps";
import { StatusBadge } from "./status-badge";
import { Alert, Card, formatDuration, Loading } from "./ui";

const ACTIVE = ["queued", "running", "cancelling", "rolling_back"];

/** One run, live: steps, timers, the log, smoke results, and the rollback button. */
export function RunView({ runId }: { runId: string }) {
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: queryKeys.run(runId),
    queryFn: () => apiGet<RunData>(`/api/runs/${runId}`),
    refetchInterval: (q) => (q.state.data && !ACTIVE.includes(q.state.data.status) ? 10_000 : 1_000),
  });
  const cutoverId = run.data?.cutoverId;
  const cutover = useQuery({ queryKey: queryKeys.cutover(cutoverId ?? ""), queryFn: () => apiGet<CutoverDetail>(`/api/cutovers/${cutoverId}`), enabled: Boolean(cutoverId) });
  const now = useNow(run.data ? ACTIVE.includes(run.data.status) || run.data.maintenance.until === null : false);
  if (run.isPending) return <Loading what="the run" />;
  if (run.error) return <Alert>Could not load the run: {run.error.message}</Alert>;
  const r = run.data;
  const maintenanceMs = r.maintenance.since ? (r.maintenance.until ? new Date(r.maintenance.until).getTime() : now) - new Date(r.maintenance.since).getTime() : null;
  const windowEnds = cutover.data?.windowEndsAt ? new Date(cutover.data.windowEndsAt).getTime() : null;
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link href={`/cutovers/${r.cutoverId}`} className="underline">
              {cutover.data?.name ?? "Cutover"}
            </Link>{" "}
            · {cutover.data?.app.name}
          </p>
          <h1 className="mt-1 flex items-center gap-3 text-2xl font-semibold">
            {r.kind === "live" ? "Live cutover" : r.kind === "rehearsal" ? "Rehearsal" : "Preflight"} <StatusBadge status={r.status} testId="run-status" />
          </h1>
          {r.error && <p className="mt-2 max-w-3xl text-sm text-red-800">{r.error}</p>}
        </div>
        <RunActions run={r} />
      </header>
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Maintenance page" testId="maintenance-timer">
          {maintenanceMs === null ? "not shown" : r.maintenance.until ? `customers saw it for ${formatDuration(maintenanceMs)}` : `customers have seen it for ${formatDuration(maintenanceMs)}`}
        </Stat>
        <Stat label="Window" testId="window-remaining">
          {windowEnds === null ? "not scheduled" : windowEnds > now ? `${formatDuration(windowEnds - now)} left` : "closed"}
        </Stat>
        <Stat label="Run time">{r.startedAt ? formatDuration((r.finishedAt ? new Date(r.finishedAt).getTime() : now) - new Date(r.startedAt).getTime()) : "not started"}</Stat>
      </div>
      <Card title="Steps" id="steps-heading">
        <StepTimeline steps={r.steps} now={now} />
      </Card>
      <Card title="Log" id="log-heading">
        <LogViewer runId={r.id} cutoverId={r.cutoverId} onStatus={() => void queryClient.invalidateQueries({ queryKey: queryKeys.run(runId) })} />
      </Card>
      {r.smoke.length > 0 && (
        <Card title="Smoke checks" id="smoke-heading">
          <SmokeComparison smoke={r.smoke} checks={(cutover.data?.smokeChecks ?? []) as Array<{ url: string; maxLatencyMs: number }>} />
        </Card>
      )}
      {r.downtime.since && (
        <Card title="Downtime report" id="downtime-heading">
          <DowntimeReport downtime={r.downtime} />
        </Card>
      )}
    </div>
  );
}

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-lg tabular-nums" data-testid={testId}>
        {children}
      </p>
    </div>
  );
}

/** The clock, ticking each second while something on the page is live. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return now;
}
