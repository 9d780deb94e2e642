import { exportAudit } from "@/lib/audit/export-audit";
import { route } from "@/app/_lib/route";
import { streamedDownload } from "@/app/_lib/stream-response";
import { auditQuery } from "../query";

/** Every matching audit event as a file: ?format=csv|json plus the list's filters. */
export const GET = route(async (req, ctx) => {
  const params = new URL(req.url).searchParams;
  const { format, chunks } = await exportAudit({ ctx, input: { ...auditQuery(params), format: (params.get("format") ?? undefined) as "csv" } });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return streamedDownload(chunks, format === "csv" ? "text/csv; charset=utf-8" : "application/json", `switchyard-audit-${stamp}.${format}`);
});
