const STYLES: Record<string, string> = {
  draft: "bg-slate-100 text-slate-700 ring-slate-300",
  approved: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  queued: "bg-sky-50 text-sky-800 ring-sky-300",
  running: "bg-sky-100 text-sky-900 ring-sky-400",
  cancelling: "bg-amber-50 text-amber-800 ring-amber-300",
  cancelled: "bg-slate-100 text-slate-700 ring-slate-300",
  succeeded: "bg-emerald-100 text-emerald-900 ring-emerald-400",
  needs_attention: "bg-amber-100 text-amber-900 ring-amber-400",
  failed: "bg-red-100 text-red-900 ring-red-400",
  rolling_back: "bg-orange-100 text-orange-900 ring-orange-400",
  rolled_back: "bg-violet-100 text-violet-900 ring-violet-400",
  rollback_failed: "bg-red-200 text-red-950 ring-red-500",
  archived: "bg-slate-100 text-slate-500 ring-slate-200",
};

/** A status pill; the text is the status itself so it reads without colour. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  const style = STYLES[status] ?? STYLES.draft;
  return (
    <span data-testid={testId} data-status={status} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style}`}>
      {status.replace(/_/g, " ")}
    </span>
  );
}
