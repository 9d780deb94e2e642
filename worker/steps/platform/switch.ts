import { CORE_KEYS } from "@/lib/steps/core-plan";
import { switchKind } from "@/lib/steps/kinds/switch";
import { redactUrl } from "@/lib/pg/url";
import { outputOf, sourceUrl, type PreflightOutput } from "../outputs";
import { defineExecutor } from "../types";

/**
 * Points the app at the target. The platform checks the current state before each sub-step, so a
 * retry or a resume after a crash continues where it stopped instead of repeating or failing.
 */
export const switchStep = defineExecutor(switchKind, {
  timeoutMs: 300_000,
  retry: { attempts: 3, backoffMs: 3_000 },
  idempotent: true,
  async run(ctx, { alias }) {
    const pre = outputOf<PreflightOutput>(ctx, CORE_KEYS.preflight);
    const app = ctx.plan.app.name;
    const switched = await ctx.platform.switchDatabase({ source: pre, alias, targetUrl: ctx.secrets.targetUrl });
    await ctx.platform.waitForDynosSettled({ signal: ctx.signal, log: ctx.log });
    ctx.log.info(`${app} now uses ${redactUrl(ctx.secrets.targetUrl)}; the old database stays attached as ${alias} for rollback`);
    return { output: { alias, ...switched, switchedAt: ctx.now().toISOString() } };
  },
  async rollback(ctx, { alias }) {
    const pre = outputOf<PreflightOutput>(ctx, CORE_KEYS.preflight);
    await ctx.platform.promoteSource({ source: pre, sourceUrl: await sourceUrl(ctx), alias, signal: ctx.signal, log: ctx.log });
  },
});
