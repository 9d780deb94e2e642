import { createHash } from "node:crypto";

/** The fields that the chain hash covers, in a fixed shape. */
export interface HashedFields {
  actor: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  metadata: unknown;
  createdAt: Date;
}

/** JSON with object keys sorted at every depth, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** sha256 over the previous event's hash and this event: editing any row breaks every later link. */
export function chainHash(prevHash: string, f: HashedFields): string {
  const body = canonicalJson({
    actor: f.actor,
    actorId: f.actorId,
    action: f.action,
    entityType: f.entityType,
    entityId: f.entityId,
    before: f.before,
    after: f.after,
    metadata: f.metadata,
    createdAt: f.createdAt.toISOString(),
  });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}
