import { listAudit } from "@/lib/audit/list-audit";
import { route } from "@/app/_lib/route";

/** Recent audit events (?limit=, ?entityId=) and the chain verification status. */
export const GET = route(async (req, ctx) => {
  const params = new URL(req.url).searchParams;
  return listAudit({ ctx, input: { limit: params.get("limit") ?? undefined, entityId: params.get("entityId") ?? undefined } });
});
