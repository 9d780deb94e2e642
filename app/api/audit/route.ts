import { listAudit } from "@/lib/audit/list-audit";
import { route } from "@/app/_lib/route";
import { auditQuery } from "./query";

/** A page of audit events (filters: actor, action, from, to, cutoverId, entityId; ?limit=, ?beforeId=) and the chain status. */
export const GET = route(async (req, ctx) => {
  const params = new URL(req.url).searchParams;
  return listAudit({ ctx, input: { ...auditQuery(params), limit: params.get("limit") ?? undefined, beforeId: params.get("beforeId") ?? undefined } });
});
