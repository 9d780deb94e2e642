import { preflightKind } from "@/lib/steps/kinds/preflight";
import { redactUrl } from "@/lib/pg/url";
import { storeSecret } from "@/lib/security/secret-store";
import { estimateDowntime } from "@/lib/run/downtime-estimate";
import { estimateCopyMs } from "./db/estimate";
import { describeBlocking, planTargetExtensions } from "./postgres/extensions";
import { checkToolsFor, inspectDatabase } from "./postgres/inspect";
import { registerUrl, type PreflightOutput } from "./outputs";
import { runSmokeChecks } from "./smoke/record";
import { permanent } from "./step-error";
import { type StepContext, defineExecutor } from "./types";


/** Reads the app and both databases, refuses what cannot work, and records the smoke baseline. */
export const preflightStep = defineExecutor(preflightKind, {
  timeoutMs: 300_000,
  retry: { attempts: 2, backoffMs: 2_000 },
  idempotent: true,
  async run(ctx) {
    const app = ctx.plan.app.name;
    const source = await ctx.platform.readSource();
    registerUrl(ctx, source.databaseUrl);
    ctx.log.info(`${app}: ${source.addonName} (${source.addonPlan}) is attached as ${source.attachmentNames.join(", ")}; DATABASE_URL → ${redactUrl(source.databaseUrl)}`);
    const [src, tgt] = await Promise.all([inspectDatabase(source.databaseUrl), inspectDatabase(ctx.secrets.targetUrl)]);
    ctx.log.info(`source: PostgreSQL ${src.serverVersion}, ${(src.sizeBytes / 1e6).toFixed(1)} MB, ${src.tables} tables`);
    ctx.log.info(`target: PostgreSQL ${tgt.serverVersion} at ${redactUrl(ctx.secrets.targetUrl)}, ${tgt.isEmpty ? "empty" : `${tgt.tables} tables`}`);
    await checkToolsFor(src.serverMajor, tgt.serverMajor);
    if (tgt.serverMajor < src.serverMajor) throw permanent(`the target runs PostgreSQL ${tgt.serverMajor}, older than the source's ${src.serverMajor}; restore into ${src.serverMajor} or newer`);
    assertTargetUsable(ctx, tgt.isEmpty, tgt.tables);
    await checkExtensions(ctx, source.databaseUrl);
    const copyEstimate = await estimateCopyMs(ctx, src.sizeBytes);
    const estimatedCopyMs = copyEstimate.ms;
    const downtime = estimateDowntime({ steps: ctx.plan.steps, copyMs: estimatedCopyMs, basis: copyEstimate.basis });
    reportWindowFit(ctx, estimatedCopyMs, downtime.totalMs);
    if (ctx.kind !== "rehearsal") await runSmokeChecks(ctx, "baseline");
    const sourceUrlSecretId = await ctx.db.$transaction((tx) => storeSecret(tx, ctx.secretKey, "run.source_database_url", source.databaseUrl));
    const output: PreflightOutput = {
      appId: source.appId,
      addonId: source.addonId,
      addonName: source.addonName,
      databaseAttachmentId: source.databaseAttachmentId,
      attachmentNames: source.attachmentNames,
      sourceUrlSecretId,
      sourceBytes: src.sizeBytes,
      estimatedCopyMs,
      estimatedDowntime: downtime,
    };
    return { output: { ...output } };
  },
});

// What the copy would do with each extension, learnt now (a rolled-back CREATE), before anything changes.
async function checkExtensions(ctx: StepContext, sourceUrl: string) {
  const plan = await planTargetExtensions(sourceUrl, ctx.secrets.targetUrl);
  if (plan.blocking.length) throw permanent(`the target's user cannot create extension(s) the source uses: ${describeBlocking(plan)}; have an administrator create them on the target first`);
  const said = [
    plan.present.length && `already on the target: ${plan.present.map((e) => e.name).join(", ")}`,
    plan.create.length && `the copy creates: ${plan.create.map((e) => e.name).join(", ")}`,
    plan.skipped.length && `left out (unused, not creatable by the target's user): ${plan.skipped.map((e) => e.name).join(", ")}`,
  ].filter(Boolean);
  ctx.log.info(`extensions: ${said.join("; ") || "none besides plpgsql"}`);
}

// A rehearsal's scratch target is wiped before each copy; a live target must be empty unless the plan says overwrite.
function assertTargetUsable(ctx: StepContext, isEmpty: boolean, tables: number) {
  if (isEmpty || ctx.kind === "rehearsal" || ctx.plan.options.overwriteTarget) return;
  throw permanent(`the target database is not empty (${tables} tables); empty it, or enable "overwrite target" in the plan`);
}

function reportWindowFit(ctx: StepContext, estimatedCopyMs: number, downtimeMs: number) {
  const { windowStartsAt, windowEndsAt } = ctx.plan;
  const estimate = `estimated copy time ${(estimatedCopyMs / 1000).toFixed(0)} s, maintenance page about ${(downtimeMs / 1000).toFixed(0)} s`;
  if (!windowStartsAt || !windowEndsAt) return ctx.log.info(estimate);
  const windowMs = new Date(windowEndsAt).getTime() - new Date(windowStartsAt).getTime();
  ctx.log.info(`${estimate}; the window is ${(windowMs / 60_000).toFixed(0)} min${estimatedCopyMs > windowMs ? ": THE COPY DOES NOT FIT THE WINDOW" : ""}`);
}
