import { parseSecretKey, type SecretKey } from "./secret-key";

export const CURRENT_KEY_VARIABLE = "SWITCHYARD_SECRET_KEY";
export const PREVIOUS_KEYS_VARIABLE = "SWITCHYARD_PREVIOUS_SECRET_KEYS";

/**
 * Parses the current key plus the comma-separated keys it replaced into one ring. The current key
 * seals everything new; the previous ones only open what was sealed before a rotation.
 * Errors name the variable (and the entry's position, never its value, which is a key).
 */
export function parseKeyring(current: string, previous?: string): SecretKey {
  let key: SecretKey;
  try {
    key = parseSecretKey(current);
  } catch (err) {
    throw new Error(`${CURRENT_KEY_VARIABLE} ${(err as Error).message}`);
  }
  let older: SecretKey[];
  try {
    older = parsePreviousKeys(previous);
  } catch (err) {
    throw new Error(`${PREVIOUS_KEYS_VARIABLE} ${(err as Error).message}`);
  }
  // The current key in the list too is harmless (an operator mid-rotation); keep each key once.
  const unique = new Map<string, SecretKey>();
  for (const k of older) if (k.id !== key.id && !unique.has(k.id)) unique.set(k.id, k);
  return unique.size ? { ...key, previous: [...unique.values()] } : key;
}

/**
 * The comma-separated list alone; its errors read "entry 2 of 3 must be …" so that the env
 * schema and parseKeyring can each put the variable's name in front.
 */
export function parsePreviousKeys(text: string | undefined): SecretKey[] {
  // Empty entries (a trailing comma, an empty variable) carry no key and are skipped.
  const entries = (text ?? "").split(",").map((e) => e.trim());
  const total = entries.filter(Boolean).length;
  const keys: SecretKey[] = [];
  for (const entry of entries) {
    if (!entry) continue;
    try {
      keys.push(parseSecretKey(entry));
    } catch (err) {
      throw new Error(`entry ${keys.length + 1} of ${total} ${(err as Error).message}`);
    }
  }
  return keys;
}

/** The current key first, then the previous ones. */
export function ringKeys(ring: SecretKey): SecretKey[] {
  return [ring, ...(ring.previous ?? [])];
}

/** The key of the ring that sealed a secret, by the key id stored beside its ciphertext. */
export function keyForId(ring: SecretKey, keyId: string, secretId: string): SecretKey {
  const key = ringKeys(ring).find((k) => k.id === keyId);
  if (key) return key;
  throw new Error(
    `secret ${secretId} was sealed with key ${keyId}, which is not the current key (${ring.id}) ` +
      `nor one of the previous keys; add that old key to ${PREVIOUS_KEYS_VARIABLE}`,
  );
}
