import { z } from "zod";
import { sourceUrl } from "../outputs";
import { assertTargetEmpty, cleanTarget, copyDatabase, defaultCopyJobs, MAX_COPY_JOBS } from "../postgres/copy";
import { verifyCopy } from "../postgres/verify";
import { holdSourceSnapshot } from "./source-snapshot";
import type { StepContext, StepDefinition } from "../types";
import { terminateOrphanedToolSessions } from "./terminate-sessions";

const JOBS = `jobs must be a whole number from 1 to ${MAX_COPY_JOBS} (connections per side for the copy), or left out for one per core of the worker`;

// Plans written before `jobs` said `parallelism: "auto" | n`; they still run as they were signed.
function fromLegacy(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || !("parallelism" in raw) || "jobs" in raw) return raw;
  const { parallelism, ...rest } = raw as { parallelism: unknown };
  return typeof parallelism === "number" ? { ...rest, jobs: Math.min(MAX_COPY_JOBS, parallelism) } : rest;
}

/** `jobs`: tables (or ranges of a big one) streamed at once, then indexes built at once; one connection per side each. */
export const CopyParams = z.preprocess(fromLegacy, z.object({ jobs: z.number({ error: JOBS }).int({ error: JOBS }).min(1, { error: JOBS }).max(MAX_COPY_JOBS, { error: JOBS }).optional() }));
type Params = z.infer<typeof CopyParams>;

const jobsFor = (ctx: StepContext, p: Params) => p.jobs ?? ctx.plan.options.copyJobs ?? defaultCopyJobs();

/**
 * Copies schema and data to the target. Not idempotent: after a crash mid-copy the target is
 * wiped (resume) and the copy starts again; the source is only read.
 */
export const copyStep: StepDefinition<Params> = {
  kind: "postgres.copy",
  params: CopyParams,
  timeoutMs: 6 * 3600_000,
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: false,
  inRehearsal: true,
  touchesApp: true,
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
};
