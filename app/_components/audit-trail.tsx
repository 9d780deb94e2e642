"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { Alert, Button, inputClass, Loading } from "./ui";

interface AuditEventRow {
  id: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  metadata: unknown;
  createdAt: string;
  hash: string;
}
interface AuditPage {
  chain: { ok: boolean; checked: number; brokenAt?: string; reason?: string; message?: string };
  events: AuditEventRow[];
  nextBeforeId: string | null;
  actions: string[];
}
type Filters = { actor: string; action: string; from: string; to: string; cutoverId: string };

const query = (f: Filters) => new URLSearchParams(Object.entries(f).filter(([, v]) => v) as Array<[string, string]>);
// datetime-local inputs are the viewer's wall time; the API wants instants.
const instant = (local: string) => (local ? new Date(local).toISOString() : "");

/** The audit trail, filtered and paged, with CSV/JSON export and the hash chain's status. */
export function AuditTrail({ cutoverId, compact = false }: { cutoverId?: string; compact?: boolean }) {
  const id = useId();
  const [draft, setDraft] = useState<Filters>({ actor: "", action: "", from: "", to: "", cutoverId: cutoverId ?? "" });
  const [filters, setFilters] = useState<Filters>(draft);
  const apiFilters = { ...filters, from: instant(filters.from), to: instant(filters.to) };
  const pages = useInfiniteQuery({
    queryKey: queryKeys.audit(apiFilters),
    initialPageParam: "",
    queryFn: ({ pageParam }) => apiGet<AuditPage>(`/api/audit?${query(apiFilters)}&limit=${compact ? 25 : 200}${pageParam ? `&beforeId=${pageParam}` : ""}`),
    getNextPageParam: (last) => last.nextBeforeId ?? undefined,
  });
  const cutovers = useQuery({ queryKey: queryKeys.cutovers(), queryFn: () => apiGet<{ cutovers: Array<{ id: string; name: string }> }>("/api/cutovers"), enabled: !cutoverId });
  const first = pages.data?.pages[0];
  const events = pages.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <div className="space-y-4">
      {first && (
        <p
          data-testid="chain-status"
          role={first.chain.ok ? "status" : "alert"}
          className={`rounded-md border px-3 py-2 text-sm font-medium ${first.chain.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}
        >
          {first.chain.ok
            ? `✓ Chain verified: all ${first.chain.checked} events link to their predecessors and match their hashes.`
            : `✗ Chain broken at event ${first.chain.brokenAt}: ${first.chain.reason ?? first.chain.message ?? "it does not verify"} (${first.chain.checked} events before it verified). Events from there on cannot be trusted; run npm run audit:verify and investigate.`}
        </p>
      )}
      <form
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-6"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <label className="text-xs font-medium sm:col-span-1" htmlFor={`${id}-actor`}>
          Actor
          <input id={`${id}-actor`} className={inputClass} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} placeholder="ana@ or worker" />
        </label>
        <label className="text-xs font-medium sm:col-span-1" htmlFor={`${id}-action`}>
          Action
          <select id={`${id}-action`} className={inputClass} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
            <option value="">any</option>
            {first?.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium" htmlFor={`${id}-from`}>
          From
          <input id={`${id}-from`} type="datetime-local" className={inputClass} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label className="text-xs font-medium" htmlFor={`${id}-to`}>
          To
          <input id={`${id}-to`} type="datetime-local" className={inputClass} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        {!cutoverId && (
          <label className="text-xs font-medium" htmlFor={`${id}-cutover`}>
            Cutover
            <select id={`${id}-cutover`} className={inputClass} value={draft.cutoverId} onChange={(e) => setDraft({ ...draft, cutoverId: e.target.value })}>
              <option value="">all</option>
              {cutovers.data?.cutovers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="flex items-end gap-2">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          <Button
            onClick={() => {
              const cleared = { actor: "", action: "", from: "", to: "", cutoverId: cutoverId ?? "" };
              setDraft(cleared);
              setFilters(cleared);
            }}
          >
            Clear
          </Button>
        </div>
      </form>
      <div className="flex gap-3 text-sm">
        <a className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50" href={`/api/audit/export?format=csv&${query(apiFilters)}`} download>
          Export CSV
        </a>
        <a className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50" href={`/api/audit/export?format=json&${query(apiFilters)}`} download>
          Export JSON
        </a>
      </div>
      {pages.isPending && <Loading what="audit events" />}
      {pages.error && <Alert>Could not load the audit trail: {pages.error.message}</Alert>}
      {first && events.length === 0 && <p className="text-sm text-slate-600">No events match these filters.</p>}
      {events.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Audit events">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">#</th>
                <th scope="col" className="px-3 py-2">Time</th>
                <th scope="col" className="px-3 py-2">Actor</th>
                <th scope="col" className="px-3 py-2">Action</th>
                <th scope="col" className="px-3 py-2">Entity</th>
                <th scope="col" className="px-3 py-2">Details</th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Expand</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <AuditRow key={e.id} event={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.hasNextPage && (
        <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? "Loading…" : "Load older events"}
        </Button>
      )}
    </div>
  );
}

function details(e: AuditEventRow): string {
  return [e.after ?? e.metadata].filter(Boolean).map((v) => JSON.stringify(v)).join(" ");
}

/** One event; "Show" unfolds its before, after and metadata in full. */
function AuditRow({ event: e }: { event: AuditEventRow }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  return (
    <>
      <tr data-testid="audit-row" data-action={e.action}>
        <td className="px-3 py-2 tabular-nums text-slate-500">{e.id}</td>
        <td className="whitespace-nowrap px-3 py-2 tabular-nums">
          <time dateTime={e.createdAt} title={e.createdAt}>
            {new Date(e.createdAt).toLocaleString([], { dateStyle: "short", timeStyle: "medium" })}
          </time>
        </td>
        <td className="whitespace-nowrap px-3 py-2 text-xs">{e.actor}</td>
        <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
        <td className="px-3 py-2 font-mono text-xs text-slate-600" title={`${e.entityType}:${e.entityId}`}>
          {e.entityType}:{e.entityId.slice(0, 8)}
        </td>
        <td className="max-w-xs truncate px-3 py-2 font-mono text-xs text-slate-600" title={details(e)}>
          {details(e)}
        </td>
        <td className="px-3 py-2">
          <button type="button" className="text-xs underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
            {open ? "Hide" : "Show"}
          </button>
        </td>
      </tr>
      {open && (
        <tr id={detailsId}>
          <td colSpan={7} className="bg-slate-50 px-3 py-2">
            <dl className="grid gap-2 text-xs sm:grid-cols-3">
              {(["before", "after", "metadata"] as const).map((k) => (
                <div key={k}>
                  <dt className="font-semibold text-slate-600">{k}</dt>
                  <dd>
                    <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-white p-2 font-mono">{e[k] == null ? "—" : JSON.stringify(e[k], null, 2)}</pre>
                  </dd>
                </div>
              ))}
            </dl>
            <p className="mt-1 font-mono text-[11px] text-slate-500">hash {e.hash}</p>
          </td>
        </tr>
      )}
    </>
  );
}
