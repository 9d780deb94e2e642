import { redact } from "@/lib/security/redact";

const MASK = "****";

/**
 * Masks the literal secrets first (as typed and URL-encoded, longest first), then the patterns
 * redact() knows: its URL pattern stops at the first "@", which would leave the tail of a
 * password containing "@" in view if it ran first.
 */
export function scrub(text: string, secrets: readonly string[] = []): string {
  const forms = secrets.flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => s.length >= 4);
  let out = text;
  for (const secret of [...new Set(forms)].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
  return redact(out);
}
