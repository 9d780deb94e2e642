import { CORE_KEYS } from "@/lib/steps/core-plan";
import { verifyKind } from "@/lib/steps/kinds/verify";
import { outputOf, sourceUrl } from "../outputs";
import { verifyCopy } from "../postgres/verify";
import { permanent } from "../step-error";
import { type StepContext, defineExecutor } from "../types";


/** Exact row counts, sequences and object counts on both sides; any difference fails the step. */
export const verifyStep = defineExecutor(verifyKind, {
  timeoutMs: 3600_000,
  retry: { attempts: 2, backoffMs: 2_000 },
  idempotent: true,
  async run(ctx) {
    if (ctx.kind === "rehearsal") return rehearsalVerdict(ctx);
    const result = await verifyCopy({ sourceUrl: await sourceUrl(ctx), targetUrl: ctx.secrets.targetUrl, log: ctx.log });
    if (!result.ok) throw permanent(`the target differs from the source:\n${result.differences.join("\n")}`);
    return { output: { tables: result.tables.length, rows: result.tables.reduce((n, t) => n + Number(t.source), 0), sequences: result.sequences.length } };
  },
});

// A rehearsal was verified inside the copy step, against the snapshot it copied.
function rehearsalVerdict(ctx: StepContext) {
  const copy = outputOf<{ snapshotVerified?: boolean; differences?: string[] }>(ctx, CORE_KEYS.copy);
  if (!copy.snapshotVerified) throw permanent(`the rehearsal copy differs from the source snapshot:\n${(copy.differences ?? []).join("\n")}`);
  ctx.log.info("verified against the source snapshot the rehearsal copied");
  return { output: { snapshotVerified: true } };
}
