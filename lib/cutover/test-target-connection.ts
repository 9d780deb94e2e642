import { z } from "zod";
import { authorize, can } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { DomainError, notFound } from "@/lib/errors";
import { inspectDatabase } from "@/lib/pg/inspect";
import { passwordsOf } from "@/lib/pg/url";
import { scrub } from "@/lib/security/scrub";
import { readSecret } from "@/lib/security/secret-store";
import { validate } from "@/lib/validate";
import { targetUrlProblems } from "./target-url";

export const TestTargetConnectionInput = z
  .object({
    /** A URL being typed into the plan form; checked part by part before any connection is tried. */
    url: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        for (const p of value !== undefined ? targetUrlProblems(value, "url") : []) ctx.addIssue({ code: "custom", message: p.message });
      }),
    /** Or the URL already sealed in this plan. */
    cutoverId: z.string().uuid("must be a cutover id").optional(),
    which: z.enum(["target", "rehearsal"], { message: "must be target or rehearsal" }).default("target"),
  })
  .refine((v) => v.url !== undefined || v.cutoverId !== undefined, { path: ["url"], message: "is required (or give the cutoverId whose stored URL to test)" });
export type TestTargetConnectionInput = z.input<typeof TestTargetConnectionInput>;

export type TestTargetConnectionResult =
  | { ok: true; serverVersion: string; empty: boolean; tables: number; sizeBytes: number }
  | { ok: false; message: string };

/**
 * Connects to a target database the way the worker will and says what is there: the server
 * version and whether it is empty. A failure is an answer, not an error: it says what to fix.
 */
export async function testTargetConnection({ ctx, input }: { ctx: Ctx; input: TestTargetConnectionInput }): Promise<TestTargetConnectionResult> {
  if (!can(ctx.actor, "cutover.create")) authorize(ctx, "cutover.edit");
  const data = validate(TestTargetConnectionInput, input);
  const url = data.url ?? (await storedUrl(ctx, data.cutoverId!, data.which));
  try {
    const facts = await inspectDatabase(url);
    return { ok: true, serverVersion: facts.serverVersion, empty: facts.isEmpty, tables: facts.tables, sizeBytes: facts.sizeBytes };
  } catch (err) {
    return { ok: false, message: scrub((err as Error).message, passwordsOf([url])) };
  }
}

async function storedUrl(ctx: Ctx, cutoverId: string, which: "target" | "rehearsal"): Promise<string> {
  const cutover = await ctx.db.cutover.findUnique({ where: { id: cutoverId }, select: { targetDatabaseSecretId: true, options: true } });
  if (!cutover) throw notFound("cutover");
  const secretId = which === "target" ? cutover.targetDatabaseSecretId : (cutover.options as { rehearsalDatabaseSecretId?: string } | null)?.rehearsalDatabaseSecretId;
  if (!secretId) throw new DomainError("precondition_failed", `this plan has no ${which === "target" ? "target" : "rehearsal"} database URL yet; enter one first`);
  return readSecret(ctx.db, ctx.secretKey, secretId);
}
