import { createHash, randomBytes } from "node:crypto";

export interface SecretKey {
  /** Short fingerprint stored beside each ciphertext, so rotation knows which key sealed it. */
  id: string;
  bytes: Buffer;
  /**
   * Keys used before this one (SWITCHYARD_PREVIOUS_SECRET_KEYS): secrets are still opened with
   * them until `npm run secrets:rotate` re-seals everything, but nothing new is sealed with them.
   */
  previous?: SecretKey[];
}

/** Parses SWITCHYARD_SECRET_KEY: 32 random bytes in base64. */
export function parseSecretKey(text: string): SecretKey {
  const bytes = Buffer.from(text.trim(), "base64");
  // Node's decoder skips what it cannot read (and stops at padding): only the exact encoding counts.
  const exact = bytes.toString("base64").replace(/=+$/, "") === text.trim().replace(/=+$/, "");
  if (bytes.length !== 32 || !exact) {
    throw new Error(
      `must be 32 bytes in base64 (44 characters); generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 12), bytes };
}

export function generateSecretKeyText(): string {
  return randomBytes(32).toString("base64");
}
