import { redactUrl } from "@/lib/pg/url";
import { outputOf, sourceUrl, type PreflightOutput } from "../outputs";
import type { StepContext } from "../types";
import { waitForDynosSettled } from "./wait-for-release";

/**
 * What `heroku pg:promote` does for the old database, from any half-switched state: drop a plain
 * DATABASE_URL, attach the source add-on as DATABASE (confirming the takeover), remove the
 * rollback alias, and check DATABASE_URL points at the source again.
 */
export async function promoteSource(ctx: StepContext, alias: string): Promise<void> {
  const pre = outputOf<PreflightOutput>(ctx, "preflight");
  const app = ctx.plan.app.name;
  const source = await sourceUrl(ctx);
  let attachments = await ctx.heroku.listAttachments(app);
  const database = attachments.find((a) => a.name === "DATABASE");
  if (!database || database.addon.id !== pre.addonId) {
    const config = await ctx.heroku.getConfigVars(app);
    // A plain DATABASE_URL would collide with the attachment's; the app is in maintenance meanwhile.
    if (!database && config.DATABASE_URL !== undefined) await ctx.heroku.setConfigVars(app, { DATABASE_URL: null });
    await ctx.heroku.createAttachment({ addon: pre.addonId, app, name: "DATABASE", confirm: app, namespace: null });
    attachments = await ctx.heroku.listAttachments(app);
  }
  const aliasAttachment = attachments.find((a) => a.name === alias && a.addon.id === pre.addonId);
  if (aliasAttachment) await ctx.heroku.deleteAttachment(aliasAttachment.id, { app, name: alias });
  const readBack = await ctx.heroku.getConfigVars(app);
  if (readBack.DATABASE_URL !== source) {
    throw new Error(`after promoting ${pre.addonName}, DATABASE_URL reads ${redactUrl(readBack.DATABASE_URL ?? "(unset)")}, not the source`);
  }
  await waitForDynosSettled(ctx);
  ctx.log.info(`${app} uses its Heroku Postgres database ${pre.addonName} again (${redactUrl(source)})`);
}
