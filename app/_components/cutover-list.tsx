"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { CutoverSummary } from "@/lib/cutover/list-cutovers";
import { windowLabels } from "@/lib/time/format-window";
import { apiGet } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { StatusBadge } from "./status-badge";

function displayStatus(c: CutoverSummary): string {
  if (c.latestRun) return c.latestRun.status;
  if (c.status === "draft" && c.requiredApprovals > 0 && c.approvals >= c.requiredApprovals) return "approved";
  return c.status;
}

function nextAction(c: CutoverSummary): string {
  const status = displayStatus(c);
  if (status === "draft" && !c.windowStartsAt) return "Schedule the window";
  if (status === "draft") return `Collect sign-offs (${c.requiredApprovals - c.approvals} more)`;
  if (status === "approved") return "Start when the window opens";
  if (status === "needs_attention" || status === "failed") return "Review: retry or roll back";
  if (status === "running" || status === "rolling_back") return "Watch the run";
  return "—";
}

function WindowCell({ c }: { c: CutoverSummary }) {
  if (!c.windowStartsAt || !c.windowEndsAt) return <span className="text-slate-500">Not scheduled</span>;
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const labels = windowLabels(c.windowStartsAt, c.windowEndsAt, c.timeZone, viewerZone);
  return (
    <div>
      <div>{labels.viewer}</div>
      {labels.plan && <div className="text-xs text-slate-500">Plan: {labels.plan}</div>}
    </div>
  );
}

export function CutoverList() {
  const { data, error, isPending, refetch } = useQuery({
    queryKey: queryKeys.cutovers(),
    queryFn: () => apiGet<{ cutovers: CutoverSummary[] }>("/api/cutovers"),
  });
  if (isPending) return <p className="text-sm text-slate-600" role="status">Loading cutovers…</p>;
  if (error) {
    return (
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        Could not load cutovers: {error.message}{" "}
        <button type="button" onClick={() => void refetch()} className="ml-2 underline">
          Try again
        </button>
      </div>
    );
  }
  if (data.cutovers.length === 0) return <EmptyState />;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Cutovers">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-3">Cutover</th>
            <th scope="col" className="px-4 py-3">Status</th>
            <th scope="col" className="px-4 py-3">Window</th>
            <th scope="col" className="px-4 py-3">Sign-offs</th>
            <th scope="col" className="px-4 py-3">Next</th>
            <th scope="col" className="px-4 py-3">Last activity</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.cutovers.map((c) => (
            <tr key={c.id} data-testid="cutover-row">
              <td className="px-4 py-3">
                <Link href={`/cutovers/${c.id}`} className="font-medium underline-offset-2 hover:underline">
                  {c.name}
                </Link>
                <div className="text-xs text-slate-500">{c.appName}</div>
              </td>
              <td className="px-4 py-3"><StatusBadge status={displayStatus(c)} /></td>
              <td className="px-4 py-3"><WindowCell c={c} /></td>
              <td className="px-4 py-3 tabular-nums">{c.approvals} of {c.requiredApprovals}</td>
              <td className="px-4 py-3 text-slate-700">{nextAction(c)}</td>
              <td className="px-4 py-3 text-slate-600">
                <time dateTime={c.updatedAt}>{new Date(c.updatedAt).toLocaleString()}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EmptyState() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
      <h2 className="text-base font-semibold">No cutovers yet</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">
        A cutover is a plan to move one Heroku app&apos;s database to a new PostgreSQL. Connect a Heroku app, enter
        the target database, pick a maintenance window and ask approvers to sign off.
      </p>
      <Link href="/cutovers/new" className="mt-4 inline-block rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
        Plan a cutover
      </Link>
    </div>
  );
}
