import type { Tx } from "@/lib/db/client";
import { actorId, actorLabel, type Actor } from "@/lib/context";
import { redactJson } from "@/lib/security/redact";
import { Prisma } from "@/lib/generated/prisma/client";
import { isAuditAction, type AuditAction } from "./actions";
import { chainHash } from "./hash";

// One chain for the whole trail: appends are serialized by this transaction-scoped lock.
const AUDIT_CHAIN_LOCK = 0x53774175;

export interface AuditInput {
  actor: Actor;
  action: AuditAction;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  metadata?: unknown;
  /** Literal secret values to mask wherever they appear. */
  secrets?: readonly string[];
  at: Date;
}

/**
 * Appends an audit event inside the caller's transaction. It throws rather than skip,
 * so a change whose audit row cannot be written is rolled back with it (fail-closed).
 */
export async function emitAudit(tx: Tx, input: AuditInput): Promise<void> {
  if (!isAuditAction(input.action)) throw new Error(`unknown audit action ${String(input.action)}`);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? "";
  const fields = {
    actor: actorLabel(input.actor),
    actorId: actorId(input.actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: clean(input.before, input.secrets),
    after: clean(input.after, input.secrets),
    metadata: clean(input.metadata, input.secrets),
    createdAt: input.at,
  };
  await tx.auditEvent.create({
    data: {
      ...fields,
      before: toJson(fields.before),
      after: toJson(fields.after),
      metadata: toJson(fields.metadata),
      prevHash,
      hash: chainHash(prevHash, fields),
    },
  });
}

// Round-trip through JSON so what is hashed is exactly what jsonb gives back.
function clean(value: unknown, secrets: readonly string[] = []): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(redactJson(value, secrets)));
}

const toJson = (value: unknown) => (value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue));
