import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { validate } from "@/lib/validate";
import { AUDIT_ACTIONS } from "./actions";
import { AuditFilter, auditWhere } from "./audit-filter";
import { verifyAuditChain } from "./verify-chain";

export const ListAuditInput = AuditFilter.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Paging: events older than this id. */
  beforeId: z
    .string()
    .regex(/^\d{1,19}$/, "must be an event id")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** A page of audit events (newest first, filtered), the next page's cursor, and whether the whole chain verifies. */
export async function listAudit({ ctx, input }: { ctx: Ctx; input: z.input<typeof ListAuditInput> }) {
  authorize(ctx, "audit.read");
  const data = validate(ListAuditInput, input);
  const where = await auditWhere(ctx.db, data);
  const events = await ctx.db.auditEvent.findMany({
    where: { ...where, ...(data.beforeId ? { id: { lt: BigInt(data.beforeId) } } : {}) },
    orderBy: { id: "desc" },
    take: data.limit + 1,
  });
  const page = events.slice(0, data.limit);
  return {
    chain: await verifyAuditChain(ctx.db),
    events: page.map((e) => ({ ...e, id: e.id.toString() })),
    nextBeforeId: events.length > data.limit ? page.at(-1)!.id.toString() : null,
    actions: AUDIT_ACTIONS,
  };
}
