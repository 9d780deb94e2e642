import { emitAudit } from "@/lib/audit/emit";
import { systemActor } from "@/lib/context";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { StepContext } from "../types";
import { checkUrl, type SmokeOutcome } from "./check-url";

export type SmokePhase = "baseline" | "after_switch" | "after_rollback";

/** Checks every smoke URL of the plan and stores each result (and its audit event). */
export async function runSmokeChecks(ctx: StepContext, phase: SmokePhase): Promise<SmokeOutcome[]> {
  const outcomes: SmokeOutcome[] = [];
  for (const check of ctx.plan.smokeChecks) {
    const outcome = await checkUrl(check, ctx.signal, { allowPrivate: ctx.allowPrivateUrls });
    outcomes.push(outcome);
    const failed = outcome.checks.filter((c) => !c.ok).map((c) => c.detail);
    ctx.log.info(`smoke ${phase.replace("_", " ")}: ${check.url} → ${outcome.ok ? "ok" : "FAILED"} (${outcome.statusCode ?? "no answer"}, ${outcome.latencyMs ?? "-"} ms)${failed.length ? `: ${failed.join("; ")}` : ""}${outcome.error ? `: ${outcome.error}` : ""}`);
    await ctx.db.$transaction(async (tx) => {
      await tx.smokeResult.create({
        data: { runId: ctx.runId, url: check.url, phase, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs, ok: outcome.ok, checks: outcome.checks as unknown as Prisma.InputJsonValue, error: outcome.error },
      });
      await emitAudit(tx, { actor: systemActor("worker"), action: "smoke.check", entityType: "cutover_run", entityId: ctx.runId, after: { url: check.url, phase, ok: outcome.ok, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs }, at: ctx.now() });
    });
  }
  return outcomes;
}
