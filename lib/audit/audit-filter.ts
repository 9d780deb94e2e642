import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AUDIT_ACTIONS } from "./actions";

const optionalText = (max: number) => z.string().trim().max(max, `is too long (${max} characters at most)`).optional().transform((v) => v || undefined);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;
const optionalDate = z
  .union([z.string(), z.date()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === "") return undefined;
    // ISO 8601 only: Date's own parser takes "1.5" or "a 1" for dates in 2001.
    const d = v instanceof Date ? v : ISO_DATE.test(v.trim()) ? new Date(v) : new Date(Number.NaN);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be a date and time such as 2026-11-21T09:00:00Z" });
      return z.NEVER;
    }
    return d;
  });

/** Which events: by actor (part of "user:ana@example.com"), action, time range and cutover. */
export const AuditFilter = z.object({
  actor: optionalText(200),
  action: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || (AUDIT_ACTIONS as readonly string[]).includes(v), `must be one of: ${AUDIT_ACTIONS.join(", ")}`),
  from: optionalDate,
  to: optionalDate,
  cutoverId: z.string().uuid("must be a cutover id").optional().or(z.literal("").transform(() => undefined)),
  entityId: optionalText(200),
});
export type AuditFilter = z.output<typeof AuditFilter>;

/**
 * The Prisma where-clause for a filter. A cutover's trail is its own events plus those of its
 * runs and their step attempts (audit rows carry no foreign keys, so the ids are looked up).
 */
export async function auditWhere(db: Db, f: AuditFilter): Promise<Prisma.AuditEventWhereInput> {
  const where: Prisma.AuditEventWhereInput = {};
  if (f.actor) where.actor = { contains: f.actor, mode: "insensitive" };
  if (f.action) where.action = f.action;
  if (f.from || f.to) where.createdAt = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) };
  const ids = [...(f.entityId ? [f.entityId] : []), ...(f.cutoverId ? await cutoverEntityIds(db, f.cutoverId) : [])];
  if (f.entityId || f.cutoverId) where.entityId = { in: ids };
  return where;
}

async function cutoverEntityIds(db: Db, cutoverId: string): Promise<string[]> {
  const runs = await db.cutoverRun.findMany({ where: { cutoverId }, select: { id: true } });
  const steps = await db.stepRun.findMany({ where: { runId: { in: runs.map((r) => r.id) } }, select: { id: true } });
  return [cutoverId, ...runs.map((r) => r.id), ...steps.map((s) => s.id)];
}
