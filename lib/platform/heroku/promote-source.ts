import { redactUrl } from "@/lib/pg/url";
import type { PromoteSourceInput } from "../types";
import type { HerokuBinding } from "./binding";
import { waitForDynosSettled } from "./wait-for-release";

/**
 * What `heroku pg:promote` does for the old database, from any half-switched state: drop a plain
 * DATABASE_URL, attach the source add-on as DATABASE (confirming the takeover), remove the
 * rollback alias, and check DATABASE_URL points at the source again.
 */
export async function promoteSource(heroku: HerokuBinding, { source, sourceUrl, alias, signal, log }: PromoteSourceInput): Promise<void> {
  const { client, app } = heroku;
  let attachments = await client.listAttachments(app);
  const database = attachments.find((a) => a.name === "DATABASE");
  if (!database || database.addon.id !== source.addonId) {
    const config = await client.getConfigVars(app);
    // A plain DATABASE_URL would collide with the attachment's; the app is in maintenance meanwhile.
    if (!database && config.DATABASE_URL !== undefined) await client.setConfigVars(app, { DATABASE_URL: null });
    await client.createAttachment({ addon: source.addonId, app, name: "DATABASE", confirm: app, namespace: null });
    attachments = await client.listAttachments(app);
  }
  const aliasAttachment = attachments.find((a) => a.name === alias && a.addon.id === source.addonId);
  if (aliasAttachment) await client.deleteAttachment(aliasAttachment.id, { app, name: alias });
  const readBack = await client.getConfigVars(app);
  if (readBack.DATABASE_URL !== sourceUrl) {
    throw new Error(`after promoting ${source.addonName}, DATABASE_URL reads ${redactUrl(readBack.DATABASE_URL ?? "(unset)")}, not the source`);
  }
  await waitForDynosSettled(heroku, { signal, log });
  log.info(`${app} uses its Heroku Postgres database ${source.addonName} again (${redactUrl(sourceUrl)})`);
}
