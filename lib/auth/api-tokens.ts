import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { inTransaction, type Actor, type Ctx } from "@/lib/context";
import { emitAudit } from "@/lib/audit/emit";
import type { Db } from "@/lib/db/client";
import { DomainError, notFound } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { validate } from "@/lib/validate";

const TOKEN_PREFIX = "sy_";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const CreateApiTokenInput = z.object({ name: z.string().trim().min(1, "is required").max(80, "is too long (80 characters at most)") });

function requireUser(ctx: Ctx) {
  if (ctx.actor.type !== "user") throw new DomainError("unauthorized", "sign in first");
  return ctx.actor;
}

/** A personal token for the JSON API. The value is returned once; only its hash is kept. */
export async function createApiToken({ ctx, input }: { ctx: Ctx; input: z.input<typeof CreateApiTokenInput> }) {
  const user = requireUser(ctx);
  const data = validate(CreateApiTokenInput, input);
  const token = `${TOKEN_PREFIX}${randomBytes(30).toString("base64url")}`;
  return inTransaction(ctx, async (tx) => {
    const row = await tx.apiToken.create({ data: { userId: user.id, name: data.name, prefix: token.slice(0, 10), tokenHash: hashToken(token) } });
    await emitAudit(tx, { actor: ctx.actor, action: "api_token.create", entityType: "api_token", entityId: row.id, after: { name: row.name, prefix: row.prefix }, secrets: [token], at: ctx.now() });
    return { id: row.id, name: row.name, prefix: row.prefix, token };
  });
}

/** Revokes one of the caller's tokens (an admin may revoke anyone's). */
export async function revokeApiToken({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const user = requireUser(ctx);
  const { id } = validate(z.object({ id: z.string().uuid("must be a token id") }), input);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id } });
    if (!row || (row.userId !== user.id && user.role !== "admin")) throw notFound("API token");
    if (!row.revokedAt) await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: ctx.now() } });
    await emitAudit(tx, { actor: ctx.actor, action: "api_token.revoke", entityType: "api_token", entityId: row.id, after: { name: row.name, prefix: row.prefix }, at: ctx.now() });
    return { id: row.id, revoked: true };
  });
}

/** The caller's tokens, without their values. */
export async function listApiTokens({ ctx }: { ctx: Ctx }) {
  const user = requireUser(ctx);
  return ctx.db.apiToken.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The user a bearer token stands for, with their current role; null when unknown, revoked or disabled. */
export async function actorForApiToken(db: Db, token: string, now: Date): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.disabledAt) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { type: "user", id: row.user.id, email: row.user.email, role: row.user.role as Role };
}
