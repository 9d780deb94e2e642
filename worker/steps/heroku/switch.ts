import { z } from "zod";
import { HerokuApiError } from "@/lib/heroku";
import { redactUrl } from "@/lib/pg/url";
import { outputOf, type PreflightOutput } from "../outputs";
import { permanent } from "../step-error";
import type { StepContext, StepDefinition } from "../types";
import { promoteSource } from "./promote-source";
import { waitForDynosSettled } from "./wait-for-release";

const Params = z.object({ alias: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be an attachment name such as SWITCHYARD_ROLLBACK_DB").default("SWITCHYARD_ROLLBACK_DB") });
type Params = z.infer<typeof Params>;

/**
 * Points the app at the target. Each sub-step checks the current state first, so a retry or a
 * resume after a crash continues where it stopped instead of repeating or failing.
 */
export const switchStep: StepDefinition<Params> = {
  kind: "heroku.switch",
  params: Params,
  timeoutMs: 300_000,
  retry: { attempts: 3, backoffMs: 3_000 },
  idempotent: true,
  inRehearsal: false,
  touchesApp: true,
  async run(ctx, { alias }) {
    const pre = outputOf<PreflightOutput>(ctx, "preflight");
    const app = ctx.plan.app.name;
    const aliasId = await attachAlias(ctx, pre, alias);
    const detachedId = await detachDatabase(ctx, pre);
    await setDatabaseUrl(ctx, ctx.secrets.targetUrl);
    await waitForDynosSettled(ctx);
    ctx.log.info(`${app} now uses ${redactUrl(ctx.secrets.targetUrl)}; the old database stays attached as ${alias} for rollback`);
    return { output: { alias, aliasAttachmentId: aliasId, detachedAttachmentId: detachedId, switchedAt: ctx.now().toISOString() } };
  },
  async rollback(ctx, { alias }) {
    await promoteSource(ctx, alias);
  },
};

async function attachAlias(ctx: StepContext, pre: PreflightOutput, alias: string): Promise<string> {
  const app = ctx.plan.app.name;
  const existing = (await ctx.heroku.listAttachments(app)).find((a) => a.name === alias);
  if (existing && existing.addon.id !== pre.addonId) {
    throw permanent(`the attachment name ${alias} is already used by add-on ${existing.addon.name} on ${app}; choose another rollback alias in the plan`);
  }
  if (existing) return existing.id;
  return (await ctx.heroku.createAttachment({ addon: pre.addonId, app, name: alias })).id;
}

async function detachDatabase(ctx: StepContext, pre: PreflightOutput): Promise<string | null> {
  const app = ctx.plan.app.name;
  const database = (await ctx.heroku.listAttachments(app)).find((a) => a.name === "DATABASE");
  if (!database) return null;
  if (database.addon.id !== pre.addonId) {
    throw permanent(`DATABASE on ${app} is attached to ${database.addon.name}, not ${pre.addonName} seen at preflight; someone changed the app during the cutover`);
  }
  try {
    await ctx.heroku.deleteAttachment(database.id, { app, name: "DATABASE" });
  } catch (err) {
    // A retried DELETE whose first attempt went through answers 404: it is detached.
    if (!(err instanceof HerokuApiError && err.status === 404)) throw err;
  }
  return database.id;
}

/** Sets DATABASE_URL unless it already has that value, then reads it back. */
export async function setDatabaseUrl(ctx: StepContext, url: string): Promise<void> {
  const app = ctx.plan.app.name;
  const current = await ctx.heroku.getConfigVars(app);
  if (current.DATABASE_URL !== url) await ctx.heroku.setConfigVars(app, { DATABASE_URL: url });
  const readBack = await ctx.heroku.getConfigVars(app);
  if (readBack.DATABASE_URL !== url) throw new Error(`DATABASE_URL on ${app} reads back as ${redactUrl(readBack.DATABASE_URL ?? "(unset)")}, not the target`);
}
