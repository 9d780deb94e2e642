import { CORE_KEYS } from "@/lib/steps/core-plan";
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { rowWriteCounter } from "@/lib/pg/row-write-counter";
import { readSecret } from "@/lib/security/secret-store";
import { validate } from "@/lib/validate";
import type { PlanSnapshot } from "./plan-snapshot";
import { rollbackActions } from "./rollback-actions";
import { canRollback, type RunStatus } from "./state-machine";
import { touchedApp } from "./touched-app";

export const PreviewRollbackInput = z.object({ runId: z.string().uuid("must be a run id") });

/**
 * What a rollback of this run would do, in order, and how many rows customers changed on the
 * target since maintenance went off (those stay on the target). Read-only.
 */
export async function previewRollback({ ctx, input }: { ctx: Ctx; input: z.input<typeof PreviewRollbackInput> }) {
  authorize(ctx, "cutover.read");
  const { runId } = validate(PreviewRollbackInput, input);
  const run = await ctx.db.cutoverRun.findUnique({ where: { id: runId } });
  if (!run) throw notFound("run");
  const [forward, touched] = await Promise.all([
    ctx.db.stepRun.findMany({ where: { runId, phase: "forward" }, orderBy: { attempt: "asc" } }),
    touchedApp(ctx.db, runId),
  ]);
  const snapshot = (run.planSnapshot ?? {}) as Partial<PlanSnapshot>;
  const succeeded = (key: string) => forward.find((s) => s.stepKey === key && s.status === "succeeded");
  const switched = succeeded(CORE_KEYS.switch)?.output as { switchedAt?: string } | undefined;
  const maintenanceOff = succeeded(CORE_KEYS.maintenanceOff)?.output as { targetRowWrites?: number } | undefined;
  return {
    canRollback: canRollback({ status: run.status as RunStatus, kind: run.kind, touchedApp: touched }),
    switchedAt: switched?.switchedAt ?? null,
    rowsChangedOnTarget: await rowsChangedSince(ctx, snapshot.targetDatabaseSecretId, maintenanceOff?.targetRowWrites),
    actions: rollbackActions(Array.isArray(snapshot.steps) ? snapshot.steps : [], forward),
  };
}

// Before maintenance went off no customer could write to the target: nothing to count.
async function rowsChangedSince(ctx: Ctx, targetSecretId: string | null | undefined, atMaintenanceOff: number | undefined): Promise<number | null> {
  if (atMaintenanceOff === undefined) return 0;
  if (!targetSecretId) return null;
  try {
    const now = await rowWriteCounter(await readSecret(ctx.db, ctx.secretKey, targetSecretId));
    return Math.max(0, now - atMaintenanceOff);
  } catch {
    return null; // unreachable target: the page says "unknown" rather than failing the dialog
  }
}
