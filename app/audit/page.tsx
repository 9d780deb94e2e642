import { headers } from "next/headers";
import { listAudit } from "@/lib/audit/list-audit";
import { DomainError } from "@/lib/errors";
import { requestContext } from "@/app/_lib/server-context";

export const dynamic = "force-dynamic";

export default async function AuditPage() {
  const ctx = await requestContext(await headers());
  let audit: Awaited<ReturnType<typeof listAudit>>;
  try {
    audit = await listAudit({ ctx, input: { limit: 200 } });
  } catch (err) {
    if (err instanceof DomainError) return <p role="alert" className="text-sm text-red-800">{err.message}</p>;
    throw err;
  }
  const { chain, events } = audit;
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading" className="text-2xl font-semibold">Audit trail</h1>
      <p
        data-testid="chain-status"
        className={`mt-3 rounded-md border px-3 py-2 text-sm ${chain.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}
      >
        {chain.ok
          ? `Chain verified: all ${chain.checked} events link to their predecessors and match their hashes.`
          : `Chain broken at event ${chain.brokenAt}: ${chain.reason} (${chain.checked} events before it verified).`}
      </p>
      {events.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No events yet.</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Audit events">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">#</th>
                <th scope="col" className="px-3 py-2">Time (UTC)</th>
                <th scope="col" className="px-3 py-2">Actor</th>
                <th scope="col" className="px-3 py-2">Action</th>
                <th scope="col" className="px-3 py-2">Entity</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="px-3 py-2 tabular-nums text-slate-500">{e.id}</td>
                  <td className="px-3 py-2 tabular-nums">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td className="px-3 py-2">{e.actor}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2 font-mono text-xs text-slate-600">{e.entityType}:{e.entityId.slice(0, 8)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
