import { copyKind } from "@/lib/steps/kinds/copy";
import type { ParamsOf } from "@/lib/steps/types";
import os from "node:os";
import { sourceUrl } from "../outputs";
import { assertTargetEmpty, cleanTarget, copyDatabase } from "../postgres/copy";
import { verifyCopy } from "../postgres/verify";
import { holdSourceSnapshot } from "./source-snapshot";
import { defineExecutor, type StepContext } from "../types";
import { terminateOrphanedToolSessions } from "./terminate-sessions";

type Params = ParamsOf<typeof copyKind>;

const jobsFor = (ctx: StepContext, p: Params) => (p.parallelism === "auto" ? ctx.plan.options.copyJobs ?? Math.max(2, os.cpus().length) : p.parallelism);

/**
 * Copies schema and data to the target. Not idempotent: after a crash mid-copy the target is
 * wiped (resume) and the copy starts again; the source is only read.
 */
export const copyStep = defineExecutor(copyKind, {
  timeoutMs: 6 * 3600_000,
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: false,
  async resume(ctx) {
    ctx.log.info("a previous copy attempt was interrupted; emptying the target to start again");
    const ended = await terminateOrphanedToolSessions(ctx.secrets.targetUrl);
    if (ended) ctx.log.info(`ended ${ended} session(s) of the interrupted restore`);
    await cleanTarget(ctx.secrets.targetUrl, ctx.log);
  },
  async run(ctx, params) {
    const target = ctx.secrets.targetUrl;
    if (ctx.kind === "rehearsal" || ctx.plan.options.overwriteTarget) await cleanTarget(target, ctx.log);
    else await assertTargetEmpty(target);
    const source = await sourceUrl(ctx);
    const copy = (snapshot?: string) => copyDatabase({ sourceUrl: source, targetUrl: target, jobs: jobsFor(ctx, params), workDir: ctx.workDir, log: ctx.log, signal: ctx.signal, snapshot });
    const started = Date.now();
    if (ctx.kind === "live") return { output: { ...(await copy()), durationMs: Date.now() - started } };
    // A rehearsal's source stays online: copy and verify one exported snapshot of it.
    const snapshot = await holdSourceSnapshot(source);
    try {
      const result = await copy(snapshot.id);
      const durationMs = Date.now() - started;
      const verified = await verifyCopy({ sourceUrl: source, targetUrl: target, log: ctx.log, signal: ctx.signal, sourceSnapshot: snapshot.id });
      return { output: { ...result, durationMs, snapshotVerified: verified.ok, differences: verified.differences } };
    } finally {
      await snapshot.release();
    }
  },
});
