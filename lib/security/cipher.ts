import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretKey } from "./secret-key";

export interface Sealed {
  keyId: string;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
}

const bytes = (buffer: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(buffer);

/** AES-256-GCM; `aad` binds the ciphertext to its row so it cannot be moved to another. */
export function seal(key: SecretKey, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId: key.id, iv: bytes(iv), authTag: bytes(cipher.getAuthTag()), ciphertext: bytes(ciphertext) };
}

export function open(key: SecretKey, sealed: Sealed, aad: string): string {
  if (sealed.keyId !== key.id) {
    throw new Error(`secret was sealed with key ${sealed.keyId}, but the configured key is ${key.id}`);
  }
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, sealed.iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(sealed.authTag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
}
