// Sends what the outbox holds. Each delivery is claimed with FOR UPDATE SKIP LOCKED and leased
// (its next_attempt_at pushed past the request's timeout), so two workers never send it at once
// and one that dies mid-request leaves it to be sent again. A channel gets its events in order:
// a later one waits while an earlier one is still pending. Runs are never touched from here.
import type { Db } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import { redact } from "@/lib/security/redact";
import { readSecret } from "@/lib/security/secret-store";
import type { SecretKey } from "@/lib/security/secret-key";
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from "./backoff";
import type { NotifyFormat } from "./events";
import { requestBody, type NotifyPayload } from "./payload";
import { assertDeliverable } from "./webhook-url";

export interface DeliverDeps {
  db: Db;
  secretKey: SecretKey;
  log: Logger;
  /** Whether receivers may be on loopback or private addresses (SMOKE_ALLOW_PRIVATE_URLS). */
  allowPrivate: boolean;
  /** The dashboard's public URL, for the link in each notification; left out when unknown. */
  publicUrl?: string | null;
  retry?: RetryPolicy;
  /** How long a receiver has to answer. */
  timeoutMs?: number;
  /** Deliveries claimed at once. */
  batch?: number;
}

export interface ClaimedDelivery {
  id: string;
  channelId: string;
  event: string;
  payload: NotifyPayload;
  /** Attempts including this one. */
  attempts: number;
}

export type DeliveryOutcome = "delivered" | "retrying" | "failed";

export const DEFAULT_TIMEOUT_MS = 10_000;
const RESPONSE_SNIPPET = 200;

/** Claims the due deliveries, the oldest pending one of each channel at most, and counts the attempt. */
export async function claimDue(deps: DeliverDeps, limit = deps.batch ?? 10): Promise<ClaimedDelivery[]> {
  if (limit < 1) return [];
  const leaseMs = (deps.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 30_000;
  return deps.db.$queryRaw<ClaimedDelivery[]>`
    WITH due AS (
      SELECT d.id FROM notification_deliveries d
       WHERE d.status = 'pending' AND d.next_attempt_at <= now()
         AND NOT EXISTS (SELECT 1 FROM notification_deliveries e
                          WHERE e.channel_id = d.channel_id AND e.status = 'pending' AND e.seq < d.seq)
       ORDER BY d.seq
       LIMIT ${limit}
       FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE notification_deliveries d
       SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
      FROM due WHERE d.id = due.id
    RETURNING d.id, d.channel_id AS "channelId", d.event, d.payload, d.attempts`;
}

/** Sends one claimed delivery and records the outcome: delivered, retried later with backoff, or failed for good. */
export async function deliverOne(deps: DeliverDeps, row: ClaimedDelivery): Promise<DeliveryOutcome> {
  const channel = await deps.db.notificationChannel.findUnique({ where: { id: row.channelId } });
  if (!channel) return "failed"; // removed with its plan edit; its rows went with it
  let url = "";
  let statusCode: number | null = null;
  let error: string;
  try {
    url = await readSecret(deps.db, deps.secretKey, channel.urlSecretId);
    await assertDeliverable(url, deps.allowPrivate);
    const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Switchyard-Notifier/1",
        "x-switchyard-event": row.event,
        // Receivers may see a delivery twice (at least once): this tells them it is the same one.
        "x-switchyard-delivery": row.id,
      },
      body: requestBody(channel.format as NotifyFormat, row.payload, deps.publicUrl),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((err: unknown) => {
      throw new Error(describeFetchError(err, timeoutMs));
    });
    statusCode = res.status;
    const snippet = await readSnippet(res);
    if (res.status >= 200 && res.status < 300) {
      await deps.db.notificationDelivery.updateMany({
        where: { id: row.id, status: "pending", attempts: row.attempts },
        data: { status: "delivered", deliveredAt: new Date(), lastStatusCode: statusCode, lastError: null },
      });
      deps.log.debug(`notification ${row.event} delivered to channel "${channel.name}" (${channel.urlDisplay}) on attempt ${row.attempts}`);
      return "delivered";
    }
    error = res.status >= 300 && res.status < 400 ? `answered HTTP ${res.status} (a redirect, which is not followed)` : `answered HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`;
  } catch (err) {
    error = (err as Error).message;
  }
  error = redactUrl(error, url);
  const delay = retryDelayMs(row.attempts, deps.retry ?? DEFAULT_RETRY);
  const where = `notification ${row.event} to channel "${channel.name}" (${channel.urlDisplay})`;
  if (delay === null) {
    await deps.db.notificationDelivery.updateMany({ where: { id: row.id, status: "pending", attempts: row.attempts }, data: { status: "failed", lastError: error, lastStatusCode: statusCode } });
    deps.log.warn(`${where} failed after ${row.attempts} attempt(s), giving up: ${error}`);
    return "failed";
  }
  await deps.db.$executeRaw`
    UPDATE notification_deliveries
       SET last_error = ${error}, last_status_code = ${statusCode}, next_attempt_at = now() + make_interval(secs => ${delay / 1000})
     WHERE id = ${row.id}::uuid AND status = 'pending' AND attempts = ${row.attempts}`;
  deps.log.warn(`${where}: attempt ${row.attempts} failed (${error}); retrying in ${(delay / 1000).toFixed(1)} s`);
  return "retrying";
}

/** Claims and sends one batch; returns what happened to each. */
export async function deliverDue(deps: DeliverDeps): Promise<DeliveryOutcome[]> {
  const rows = await claimDue(deps);
  return Promise.all(rows.map((row) => deliverOne(deps, row)));
}

/** The URL is the credential: whole, without its scheme, and its path and query are masked wherever they appear. */
function redactUrl(text: string, url: string): string {
  if (!url || !URL.canParse(url)) return redact(text);
  const u = new URL(url);
  const parts = [url, url.replace(/^[a-z]+:\/\//i, ""), `${u.pathname}${u.search}`, u.pathname, u.search.slice(1), decodeURIComponent(u.password)];
  return redact(text, parts.filter((p) => p.length >= 4));
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `request failed: ${cause}` : `request failed: ${e?.message ?? String(err)}`;
}

/** The start of the answer's body (for the error), without reading more than that. */
async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_SNIPPET * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // a body cut off is still an answer: its status counts
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString("utf8").replace(/\s+/g, " ").trim();
  return text.length > RESPONSE_SNIPPET ? `${text.slice(0, RESPONSE_SNIPPET)}…` : text;
}
