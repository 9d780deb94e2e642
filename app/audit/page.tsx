import { AuditTrail } from "@/app/_components/audit-trail";

export default function AuditPage() {
  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <div>
        <h1 id="audit-heading" className="text-2xl font-semibold">
          Audit trail
        </h1>
        <p className="mt-1 text-sm text-slate-600">Every change, command, Heroku request and smoke result, hash-chained so tampering shows.</p>
      </div>
      <AuditTrail />
    </section>
  );
}
