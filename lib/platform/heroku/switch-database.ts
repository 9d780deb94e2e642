import { HerokuApiError } from "@/lib/heroku";
import { redactUrl } from "@/lib/pg/url";
import { PermanentPlatformError } from "../errors";
import type { SourceDatabase, SwitchDatabaseInput, SwitchedDatabase } from "../types";
import type { HerokuBinding } from "./binding";

/**
 * Attaches the source under the rollback alias, detaches DATABASE, sets DATABASE_URL to the target.
 * Each sub-step checks the current state first, so a retry or a resume after a crash continues
 * where it stopped instead of repeating or failing.
 */
export async function switchDatabase(heroku: HerokuBinding, { source, alias, targetUrl }: SwitchDatabaseInput): Promise<SwitchedDatabase> {
  const aliasAttachmentId = await attachAlias(heroku, source, alias);
  const detachedAttachmentId = await detachDatabase(heroku, source);
  await setDatabaseUrl(heroku, targetUrl);
  return { aliasAttachmentId, detachedAttachmentId };
}

async function attachAlias({ client, app }: HerokuBinding, source: SourceDatabase, alias: string): Promise<string> {
  const existing = (await client.listAttachments(app)).find((a) => a.name === alias);
  if (existing && existing.addon.id !== source.addonId) {
    throw new PermanentPlatformError(`the attachment name ${alias} is already used by add-on ${existing.addon.name} on ${app}; choose another rollback alias in the plan`);
  }
  if (existing) return existing.id;
  return (await client.createAttachment({ addon: source.addonId, app, name: alias })).id;
}

async function detachDatabase({ client, app }: HerokuBinding, source: SourceDatabase): Promise<string | null> {
  const database = (await client.listAttachments(app)).find((a) => a.name === "DATABASE");
  if (!database) return null;
  if (database.addon.id !== source.addonId) {
    throw new PermanentPlatformError(`DATABASE on ${app} is attached to ${database.addon.name}, not ${source.addonName} seen at preflight; someone changed the app during the cutover`);
  }
  try {
    await client.deleteAttachment(database.id, { app, name: "DATABASE" });
  } catch (err) {
    // A retried DELETE whose first attempt went through answers 404: it is detached.
    if (!(err instanceof HerokuApiError && err.status === 404)) throw err;
  }
  return database.id;
}

/** Sets DATABASE_URL unless it already has that value, then reads it back. */
async function setDatabaseUrl({ client, app }: HerokuBinding, url: string): Promise<void> {
  const current = await client.getConfigVars(app);
  if (current.DATABASE_URL !== url) await client.setConfigVars(app, { DATABASE_URL: url });
  const readBack = await client.getConfigVars(app);
  if (readBack.DATABASE_URL !== url) throw new Error(`DATABASE_URL on ${app} reads back as ${redactUrl(readBack.DATABASE_URL ?? "(unset)")}, not the target`);
}
