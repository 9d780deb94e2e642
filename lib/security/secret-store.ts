import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { open, seal, type Sealed } from "./cipher";
import { keyForId } from "./keyring";
import type { SecretKey } from "./secret-key";

/** What a sealed value is bound to: its row and purpose, so it cannot be moved to another row. */
export const secretAad = (id: string, purpose: string) => `${id}:${purpose}`;

/** A stored Secret row as far as opening it goes. */
export type SecretRow = Sealed & { id: string; purpose: string };

/** Seals a value with the current key and stores it; returns the Secret's id, which is bound into the ciphertext. */
export async function storeSecret(tx: Tx, key: SecretKey, purpose: string, value: string): Promise<string> {
  const id = randomUUID();
  const sealed = seal(key, value, secretAad(id, purpose));
  await tx.secret.create({ data: { id, purpose, ...sealed } });
  return id;
}

/**
 * Decrypts a stored secret with whichever key of the ring sealed it (current or previous);
 * only the worker and the verbs that must use a value call this.
 */
export async function readSecret(db: Db | Tx, key: SecretKey, id: string): Promise<string> {
  const row = await db.secret.findUniqueOrThrow({ where: { id } });
  return openSecretRow(key, row);
}

/** Opens a row already loaded, e.g. by rotation, which re-seals it. */
export function openSecretRow(ring: SecretKey, row: SecretRow): string {
  return open(keyForId(ring, row.keyId, row.id), row, secretAad(row.id, row.purpose));
}
