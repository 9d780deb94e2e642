import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { open, seal } from "./cipher";
import type { SecretKey } from "./secret-key";

/** Seals a value and stores it; returns the Secret's id, which is bound into the ciphertext. */
export async function storeSecret(tx: Tx, key: SecretKey, purpose: string, value: string): Promise<string> {
  const id = randomUUID();
  const sealed = seal(key, value, `${id}:${purpose}`);
  await tx.secret.create({ data: { id, purpose, ...sealed } });
  return id;
}

/** Decrypts a stored secret; only the worker and the verbs that must use a value call this. */
export async function readSecret(db: Db | Tx, key: SecretKey, id: string): Promise<string> {
  const row = await db.secret.findUniqueOrThrow({ where: { id } });
  return open(key, row, `${row.id}:${row.purpose}`);
}
