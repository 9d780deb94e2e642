import { smokeKind } from "@/lib/steps/kinds/smoke";
import { defineExecutor } from "../types";
import { runSmokeChecks } from "./record";


/** After the switch: every smoke URL again, compared with the baseline taken at preflight. */
export const smokeStep = defineExecutor(smokeKind, {
  timeoutMs: 300_000,
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: true,
  async run(ctx) {
    const baseline = await ctx.db.smokeResult.findMany({ where: { runId: ctx.runId, phase: "baseline" } });
    const outcomes = await runSmokeChecks(ctx, "after_switch");
    const regressions = outcomes
      .filter((o) => !o.ok && (baseline.find((b) => b.url === o.url)?.ok ?? true))
      .map((o) => o.url);
    const output = { checked: outcomes.length, failed: outcomes.filter((o) => !o.ok).map((o) => o.url), regressions };
    if (regressions.length === 0) return { output };
    return { output, attention: `smoke checks regressed after the switch: ${regressions.join(", ")}; review and roll back if needed` };
  },
});
