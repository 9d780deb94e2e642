import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { notFound } from "@/lib/errors";
import { channelSummary, hashedChannels, saveChannels } from "@/lib/notify/channels";
import { enqueueNotifications } from "@/lib/notify/enqueue";
import { redactUrl } from "@/lib/pg/url";
import { storeSecret } from "@/lib/security/secret-store";
import { validate } from "@/lib/validate";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { toPlanSteps } from "@/lib/steps/plan-steps-input";
import { planHash } from "./plan-hash";
import { toPlanStepRow } from "./plan-step-row";
import { CreateCutoverInput } from "./schema";
import type { Prisma } from "@/lib/generated/prisma/client";


/** Creates a draft plan with the default steps; the target URL is sealed, never stored in clear. */
export async function createCutover({ ctx, input }: { ctx: Ctx; input: CreateCutoverInput }) {
  authorize(ctx, "cutover.create");
  const data = validate(CreateCutoverInput, input);
  return inTransaction(ctx, async (tx) => {
    const app = await tx.herokuApp.findUnique({ where: { id: data.herokuAppId } });
    if (!app) throw notFound("Heroku app");
    const target = data.targetDatabaseUrl;
    const targetDatabaseSecretId = target
      ? await storeSecret(tx, ctx.secretKey, "cutover.target_database_url", target)
      : null;
    const rehearsalDatabaseSecretId = data.rehearsalDatabaseUrl
      ? await storeSecret(tx, ctx.secretKey, "cutover.rehearsal_database_url", data.rehearsalDatabaseUrl)
      : null;
    // Not part of the plan hash: approvers sign off what touches production, not the rehearsal scratch.
    const options = rehearsalDatabaseSecretId ? { rehearsalDatabaseSecretId, rehearsalDatabaseDisplay: redactUrl(data.rehearsalDatabaseUrl!) } : {};
    const steps = data.steps ? toPlanSteps(data.steps) : defaultPlanSteps();
    const plan = {
      herokuAppId: app.id,
      sourceAddonId: null,
      targetDatabaseSecretId,
      smokeChecks: data.smokeChecks,
      options: {},
      windowStartsAt: data.windowStartsAt ?? null,
      windowEndsAt: data.windowEndsAt ?? null,
      timeZone: data.timeZone,
      requiredApprovals: data.requiredApprovals,
      steps,
    };
    const created = await tx.cutover.create({
      data: {
        name: data.name,
        herokuAppId: app.id,
        targetDatabaseSecretId,
        targetDatabaseDisplay: target ? redactUrl(target) : null,
        smokeChecks: data.smokeChecks as Prisma.InputJsonValue,
        options,
        windowStartsAt: plan.windowStartsAt,
        windowEndsAt: plan.windowEndsAt,
        timeZone: data.timeZone,
        requiredApprovals: data.requiredApprovals,
        planHash: planHash(plan),
        createdById: ctx.actor.type === "user" ? ctx.actor.id : null,
        steps: { create: steps.map((s, position) => toPlanStepRow(s, position)) },
      },
    });
    // Channels hang off the cutover's row, so its hash is completed once they exist.
    const channels = await saveChannels(tx, ctx.secretKey, created.id, data.notifications);
    const cutover = channels.length ? await tx.cutover.update({ where: { id: created.id }, data: { planHash: planHash({ ...plan, notifications: hashedChannels(channels) }) } }) : created;
    await enqueueNotifications(tx, { cause: "plan", cutoverId: cutover.id, version: cutover.version, planHash: cutover.planHash, requiredApprovals: cutover.requiredApprovals, hashChanged: true, at: ctx.now() });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "cutover.create",
      entityType: "cutover",
      entityId: cutover.id,
      after: { name: cutover.name, app: app.name, target: cutover.targetDatabaseDisplay, planHash: cutover.planHash, steps: steps.map((s) => s.key), notifications: channelSummary(channels) },
      secrets: [target, data.rehearsalDatabaseUrl, ...data.notifications.map((c) => c.url)].filter((s): s is string => Boolean(s)),
      at: ctx.now(),
    });
    return cutover;
  });
}
