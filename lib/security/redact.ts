const MASK = "****";

// user:password@ inside any postgres URL, even when embedded in longer text.
const PG_URL_PASSWORD = /(postgres(?:ql)?:\/\/[^\s:/@'"]*:)([^\s@'"]+)(@)/gi;
const PGPASSWORD = /(PGPASSWORD=)(\S+)/g;
const BEARER = /(Bearer\s+)([A-Za-z0-9._~+/=-]+)/gi;
const BASIC = /(Basic\s+)([A-Za-z0-9+/=]+)/gi;

/**
 * Removes secrets from text before it is stored, logged or sent: passwords in postgres URLs,
 * PGPASSWORD=, bearer and basic credentials, and every literal secret value given.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // Literal secrets first, longest first: a password containing "@" or ":" would otherwise be
  // cut by the URL pattern below and leave its tail visible.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return out
    .replace(PG_URL_PASSWORD, `$1${MASK}$3`)
    .replace(PGPASSWORD, `$1${MASK}`)
    .replace(BEARER, `$1${MASK}`)
    .replace(BASIC, `$1${MASK}`);
}

/** Deep-redacts every string inside a JSON-like value; keys that name secrets are masked whole. */
export function redactJson<T>(value: T, secrets: readonly string[] = []): T {
  return walk(value, secrets) as T;
}

const SECRET_KEYS = /pass(word)?|secret|token|api[_-]?key|authorization|credential/i;

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) && v != null ? MASK : walk(v, secrets)]),
    );
  }
  return value;
}
