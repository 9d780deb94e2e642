import { inTransaction, type Ctx } from "@/lib/context";
import { emitAudit } from "@/lib/audit/emit";
import { seal } from "./cipher";
import { keyForId, ringKeys } from "./keyring";
import { openSecretRow, secretAad } from "./secret-store";

export interface RotateResult {
  /** Secrets re-sealed with the current key by this call. */
  rotated: number;
  /** Secrets that were already sealed with the current key when it started. */
  alreadyCurrent: number;
}

const DEFAULT_BATCH = 100;

/**
 * Re-seals every Secret not sealed with the current key of ctx.secretKey, opening it with the
 * previous key that sealed it. Each batch commits in one transaction with one `secret.rotate`
 * audit event (ids and old key ids, never values), so a crash leaves whole batches done and a
 * second run picks up the rest; a run with nothing to do changes nothing.
 */
export async function rotateSecrets({ ctx, input = {} }: { ctx: Ctx; input?: { batchSize?: number } }): Promise<RotateResult> {
  const current = ctx.secretKey;
  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  // A batch of 0 would never finish (the loop ends on a short batch).
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a whole number of at least 1, got ${batchSize}`);
  const db = ctx.tx ?? ctx.db;
  // Refuse before touching anything when some secret's key is missing from the ring, so the
  // operator fixes SWITCHYARD_PREVIOUS_SECRET_KEYS instead of ending up half rotated.
  const byKey = await db.secret.groupBy({ by: ["keyId"], _count: { _all: true } });
  for (const { keyId } of byKey) {
    if (ringKeys(current).some((k) => k.id === keyId)) continue;
    const example = await db.secret.findFirstOrThrow({ where: { keyId }, select: { id: true } });
    keyForId(current, keyId, example.id); // throws, naming the key id and the variable to fix
  }
  const alreadyCurrent = byKey.find((g) => g.keyId === current.id)?._count._all ?? 0;

  let rotated = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await inTransaction(ctx, async (tx) => {
      // The update below is compare-and-set on key_id: a row that a concurrent rotation re-sealed
      // meanwhile is skipped rather than counted (or audited) twice.
      const rows = await tx.secret.findMany({
        where: { keyId: { not: current.id }, ...(after === undefined ? {} : { id: { gt: after } }) },
        orderBy: { id: "asc" },
        take: batchSize,
      });
      const done: { id: string; fromKeyId: string }[] = [];
      const at = ctx.now();
      for (const row of rows) {
        const sealed = seal(current, openSecretRow(current, row), secretAad(row.id, row.purpose));
        const { count } = await tx.secret.updateMany({
          where: { id: row.id, keyId: row.keyId },
          data: { ...sealed, rotatedAt: at },
        });
        if (count === 1) done.push({ id: row.id, fromKeyId: row.keyId });
      }
      if (done.length) {
        await emitAudit(tx, {
          actor: ctx.actor,
          action: "secret.rotate",
          entityType: "secret_key",
          entityId: current.id,
          // Only ids and key fingerprints: metadata keys must not look like secrets, or the
          // audit redaction would mask them (see redactJson).
          metadata: {
            toKeyId: current.id,
            fromKeyIds: [...new Set(done.map((d) => d.fromKeyId))],
            rotated: done,
          },
          at,
        });
      }
      return { seen: rows.length, lastId: rows.at(-1)?.id, rotated: done.length };
    });
    rotated += batch.rotated;
    if (batch.seen < batchSize) return { rotated, alreadyCurrent };
    after = batch.lastId;
  }
}
