import type { Tx } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import type { NotificationChannel } from "@/lib/generated/prisma/client";
import type { HashedChannel } from "@/lib/cutover/plan-hash";
import type { NotificationChannelInput } from "@/lib/cutover/schema";
import { storeSecret } from "@/lib/security/secret-store";
import type { SecretKey } from "@/lib/security/secret-key";
import { canonicalEvents } from "./events";
import { webhookUrlDisplay } from "./webhook-url";

/** The Secret purpose of a channel's webhook URL (bound into its ciphertext). */
export const WEBHOOK_URL_PURPOSE = "notification.webhook_url";

/**
 * Makes a cutover's channels exactly `input`, in its order, inside the plan edit's transaction.
 * A channel named by id keeps its sealed URL unless a new one is given (then a new Secret is
 * written, so the plan hash changes); channels left out are removed with their outbox rows.
 */
export async function saveChannels(
  tx: Tx,
  key: SecretKey,
  cutoverId: string,
  input: NotificationChannelInput[],
  existing: NotificationChannel[] = [],
): Promise<NotificationChannel[]> {
  const byId = new Map(existing.map((c) => [c.id, c]));
  const problems = input.flatMap((c, i) => (c.id && !byId.has(c.id) ? [{ path: `notifications.${i}.id`, message: "is not a channel of this plan (reload the plan and edit again)" }] : []));
  if (problems.length) throw new DomainError("invalid_input", problems.map((p) => `${p.path} ${p.message}`).join("; "), problems);
  const kept = input.flatMap((c) => (c.id ? [c.id] : []));
  await tx.notificationChannel.deleteMany({ where: { cutoverId, id: { notIn: kept } } });
  const saved: NotificationChannel[] = [];
  for (const [position, c] of input.entries()) {
    const before = c.id ? byId.get(c.id)! : null;
    const sealed = c.url
      ? { urlSecretId: await storeSecret(tx, key, WEBHOOK_URL_PURPOSE, c.url), urlDisplay: webhookUrlDisplay(c.url) }
      : { urlSecretId: before!.urlSecretId, urlDisplay: before!.urlDisplay };
    const data = { position, name: c.name, format: c.format, events: canonicalEvents(c.events), windowLeadMinutes: c.windowLeadMinutes, ...sealed };
    saved.push(before ? await tx.notificationChannel.update({ where: { id: before.id }, data }) : await tx.notificationChannel.create({ data: { cutoverId, ...data } }));
  }
  return saved;
}

/** What of each channel the plan hash covers. */
export function hashedChannels(channels: NotificationChannel[]): HashedChannel[] {
  return [...channels]
    .sort((a, b) => a.position - b.position)
    .map((c) => ({ name: c.name, format: c.format, urlSecretId: c.urlSecretId, events: c.events, windowLeadMinutes: c.windowLeadMinutes }));
}

/** The channels as audit events and pages show them: the URL as scheme and host only. */
export function channelSummary(channels: NotificationChannel[]) {
  return [...channels]
    .sort((a, b) => a.position - b.position)
    .map((c) => ({ name: c.name, format: c.format, url: c.urlDisplay, events: c.events, windowLeadMinutes: c.windowLeadMinutes }));
}
