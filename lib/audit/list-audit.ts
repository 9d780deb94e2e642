import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { validate } from "@/lib/validate";
import { verifyAuditChain } from "./verify-chain";

const ListAuditInput = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  entityId: z.string().max(200).optional(),
});

/** The newest audit events (optionally for one entity) and whether the whole chain verifies. */
export async function listAudit({ ctx, input }: { ctx: Ctx; input: z.input<typeof ListAuditInput> }) {
  authorize(ctx, "audit.read");
  const data = validate(ListAuditInput, input);
  const events = await ctx.db.auditEvent.findMany({
    where: data.entityId ? { entityId: data.entityId } : {},
    orderBy: { id: "desc" },
    take: data.limit,
  });
  return {
    chain: await verifyAuditChain(ctx.db),
    events: events.map((e) => ({ ...e, id: e.id.toString() })),
  };
}
