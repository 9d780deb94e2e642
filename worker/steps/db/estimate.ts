import { CORE_KEYS } from "@/lib/steps/core-plan";
import type { EstimateBasis } from "@/lib/run/downtime-estimate";
import type { StepContext } from "../types";

// Without a measurement, assume a conservative rate measured on a small 2-core machine.
const DEFAULT_BYTES_PER_SECOND = 40e6;
const FIXED_OVERHEAD_MS = 5_000;

/** Copy time from the latest rehearsal of this cutover when there is one, else from a default rate. */
export async function estimateCopyMs(ctx: StepContext, sourceBytes: number): Promise<{ ms: number; basis: EstimateBasis }> {
  const rehearsal = await ctx.db.stepRun.findFirst({
    where: { stepKey: CORE_KEYS.copy, status: "succeeded", phase: "forward", run: { cutoverId: ctx.plan.cutoverId, kind: "rehearsal" } },
    orderBy: { finishedAt: "desc" },
  });
  const measured = rehearsal?.output as { bytes?: number; durationMs?: number } | null;
  if (measured?.bytes && measured.durationMs) {
    const rate = measured.bytes / (measured.durationMs / 1000);
    ctx.log.info(`copy rate from the latest rehearsal: ${(rate / 1e6).toFixed(1)} MB/s`);
    return { ms: Math.round((sourceBytes / rate) * 1000), basis: "rehearsal" };
  }
  return { ms: Math.round((sourceBytes / DEFAULT_BYTES_PER_SECOND) * 1000) + FIXED_OVERHEAD_MS, basis: "rule_of_thumb" };
}
