import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { DomainError, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { channelSummary, hashedChannels, saveChannels } from "@/lib/notify/channels";
import { enqueueNotifications } from "@/lib/notify/enqueue";
import { redactUrl } from "@/lib/pg/url";
import { storeSecret } from "@/lib/security/secret-store";
import { validate } from "@/lib/validate";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import { toPlanSteps } from "@/lib/steps/plan-steps-input";
import { planHash } from "./plan-hash";
import { toPlanStepRow } from "./plan-step-row";
import { UpdateCutoverInput } from "./schema";

/**
 * Edits a draft plan. The plan hash changes with it, so sign-offs given for the old version no
 * longer count. `version` must match: two people editing at once cannot overwrite each other.
 */
export async function updateCutover({ ctx, input }: { ctx: Ctx; input: UpdateCutoverInput }) {
  authorize(ctx, "cutover.edit");
  const data = validate(UpdateCutoverInput, input);
  return inTransaction(ctx, async (tx) => {
    const current = await tx.cutover.findUnique({ where: { id: data.cutoverId }, include: { steps: { orderBy: { position: "asc" } }, notifications: { orderBy: { position: "asc" } } } });
    if (!current) throw notFound("cutover");
    if (current.status !== "draft") throw new DomainError("conflict", `the plan is ${current.status} and can no longer be edited`);
    if (current.version !== data.version) throw new DomainError("conflict", `the plan changed since you opened it (now version ${current.version}); reload and edit again`);
    const windowStartsAt = data.windowStartsAt === undefined ? current.windowStartsAt : data.windowStartsAt;
    const windowEndsAt = data.windowEndsAt === undefined ? current.windowEndsAt : data.windowEndsAt;
    if (windowStartsAt && windowEndsAt && windowEndsAt <= windowStartsAt) {
      throw new DomainError("invalid_input", "windowEndsAt must be after the window start", [{ path: "windowEndsAt", message: "must be after the window start" }]);
    }
    const targetDatabaseSecretId = data.targetDatabaseUrl
      ? await storeSecret(tx, ctx.secretKey, "cutover.target_database_url", data.targetDatabaseUrl)
      : current.targetDatabaseSecretId;
    // Not part of the plan hash (see createCutover): a new scratch target needs no new sign-offs.
    const options = data.rehearsalDatabaseUrl
      ? {
          ...((current.options ?? {}) as Record<string, unknown>),
          rehearsalDatabaseSecretId: await storeSecret(tx, ctx.secretKey, "cutover.rehearsal_database_url", data.rehearsalDatabaseUrl),
          rehearsalDatabaseDisplay: redactUrl(data.rehearsalDatabaseUrl),
        }
      : (current.options as Prisma.InputJsonValue);
    const next = {
      smokeChecks: data.smokeChecks ?? current.smokeChecks,
      timeZone: data.timeZone ?? current.timeZone,
      requiredApprovals: data.requiredApprovals ?? current.requiredApprovals,
    };
    const steps = data.steps ? toPlanSteps(data.steps) : current.steps.map((s) => ({ key: s.key, kind: s.kind, params: s.params, description: s.description }) as PlanStepSpec);
    if (data.steps) await replaceSteps(tx, current.id, steps);
    const channels = data.notifications ? await saveChannels(tx, ctx.secretKey, current.id, data.notifications, current.notifications) : current.notifications;
    const hash = planHash({
      herokuAppId: current.herokuAppId,
      sourceAddonId: current.sourceAddonId,
      targetDatabaseSecretId,
      smokeChecks: next.smokeChecks,
      options: {},
      windowStartsAt,
      windowEndsAt,
      timeZone: next.timeZone,
      requiredApprovals: next.requiredApprovals,
      steps,
      notifications: hashedChannels(channels),
    });
    const updated = await tx.cutover.update({
      where: { id: current.id },
      data: {
        name: data.name ?? current.name,
        targetDatabaseSecretId,
        options,
        targetDatabaseDisplay: data.targetDatabaseUrl ? redactUrl(data.targetDatabaseUrl) : current.targetDatabaseDisplay,
        smokeChecks: next.smokeChecks as Prisma.InputJsonValue,
        windowStartsAt,
        windowEndsAt,
        timeZone: next.timeZone,
        requiredApprovals: next.requiredApprovals,
        version: { increment: 1 },
        planHash: hash,
      },
    });
    await enqueueNotifications(tx, { cause: "plan", cutoverId: current.id, version: updated.version, planHash: hash, requiredApprovals: updated.requiredApprovals, hashChanged: hash !== current.planHash, at: ctx.now() });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "cutover.update",
      entityType: "cutover",
      entityId: current.id,
      before: { ...summary(current), steps: current.steps.map((s) => s.key), notifications: channelSummary(current.notifications) },
      after: { ...summary(updated), steps: steps.map((s) => s.key), notifications: channelSummary(channels) },
      secrets: [data.targetDatabaseUrl, data.rehearsalDatabaseUrl, ...(data.notifications ?? []).map((c) => c.url)].filter((s): s is string => Boolean(s)),
      at: ctx.now(),
    });
    return updated;
  });
}

function summary(c: { name: string; version: number; planHash: string; targetDatabaseDisplay: string | null; windowStartsAt: Date | null; windowEndsAt: Date | null; timeZone: string; requiredApprovals: number }) {
  return {
    name: c.name,
    version: c.version,
    planHash: c.planHash,
    target: c.targetDatabaseDisplay,
    window: [c.windowStartsAt?.toISOString() ?? null, c.windowEndsAt?.toISOString() ?? null],
    timeZone: c.timeZone,
    requiredApprovals: c.requiredApprovals,
  };
}

// The runbook is replaced whole: positions and keys come from the edit, nothing is merged.
async function replaceSteps(tx: Prisma.TransactionClient, cutoverId: string, steps: PlanStepSpec[]) {
  await tx.planStep.deleteMany({ where: { cutoverId } });
  await tx.planStep.createMany({ data: steps.map((s, position) => ({ cutoverId, ...toPlanStepRow(s, position) })) });
}
