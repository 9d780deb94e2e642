import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { validate } from "@/lib/validate";
import { AuditFilter, auditWhere } from "./audit-filter";

export const ExportAuditInput = AuditFilter.extend({ format: z.enum(["csv", "json"], { message: "must be csv or json" }).default("csv") });

const PAGE = 2000;
const CSV_COLUMNS = ["id", "createdAt", "actor", "actorId", "action", "entityType", "entityId", "before", "after", "metadata", "prevHash", "hash"] as const;

/** Every matching audit event, oldest first, as CSV or a JSON array, produced page by page. */
export async function exportAudit({ ctx, input }: { ctx: Ctx; input: z.input<typeof ExportAuditInput> }) {
  authorize(ctx, "audit.read");
  const data = validate(ExportAuditInput, input);
  const where = await auditWhere(ctx.db, data);
  return { format: data.format, chunks: data.format === "csv" ? csv(ctx, where) : json(ctx, where) };
}

type Where = Awaited<ReturnType<typeof auditWhere>>;
type Row = Record<(typeof CSV_COLUMNS)[number], unknown>;

async function* rows(ctx: Ctx, where: Where): AsyncGenerator<Row[]> {
  let after = -1n;
  for (;;) {
    const page = await ctx.db.auditEvent.findMany({ where: { ...where, id: { gt: after } }, orderBy: { id: "asc" }, take: PAGE });
    if (page.length === 0) return;
    yield page.map((e) => ({ ...e, id: e.id.toString(), createdAt: e.createdAt.toISOString() }));
    after = page.at(-1)!.id;
  }
}

async function* csv(ctx: Ctx, where: Where): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(",")}\n`;
  for await (const page of rows(ctx, where)) yield page.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(",") + "\n").join("");
}

async function* json(ctx: Ctx, where: Where): AsyncGenerator<string> {
  let first = true;
  yield "[";
  for await (const page of rows(ctx, where)) {
    for (const r of page) {
      yield `${first ? "\n" : ",\n"}${JSON.stringify(r)}`;
      first = false;
    }
  }
  yield "\n]\n";
}

// RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula.
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
