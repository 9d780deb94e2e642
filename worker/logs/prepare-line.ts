import { redact } from "@/lib/security/redact";

/** Stored text is capped in UTF-8 bytes; the marker says how much was cut. */
export const MAX_LINE_BYTES = 8192;
// Redaction runs on at most this many characters: far more than what is kept, so a secret
// straddling the 8 kB cut is still masked whole, but a 100 MB line costs nothing.
const REDACT_WINDOW_CHARS = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Redacts with the run's secrets, strips NUL (PostgreSQL text cannot hold it) and truncates. */
export function prepareText(text: string, secrets: readonly string[]): string {
  const originalBytes = Buffer.byteLength(text, "utf8");
  const windowed = text.length > REDACT_WINDOW_CHARS ? text.slice(0, REDACT_WINDOW_CHARS) : text;
  const clean = redact(windowed, secrets).replace(/\u0000/g, "\uFFFD");
  return truncateUtf8(clean, originalBytes);
}

function truncateUtf8(text: string, originalBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= MAX_LINE_BYTES) return text;
  const marker = ` … [truncated, ${originalBytes} bytes]`;
  return cutAtCharBoundary(text, MAX_LINE_BYTES - Buffer.byteLength(marker, "utf8")) + marker;
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
function cutAtCharBoundary(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1; // back off continuation bytes
  return bytes.subarray(0, end).toString("utf8");
}

/** A step run id that is not a UUID would fail the whole batch; keep the line, lose the link. */
export function cleanStepRunId(id: string | null | undefined): string | null {
  return id && UUID.test(id) ? id : null;
}

/** Longest first, so a secret that contains another is masked whole. */
export function sortSecrets(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
}
