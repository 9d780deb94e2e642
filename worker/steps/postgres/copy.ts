import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { DUMP_PREFIX } from "./leftovers";
import path from "node:path";
import type { StepLogger } from "@/worker/engine/step-logger";
import { listTables, type UserTable } from "./catalog";
import { withClient } from "./client";
import { maskedUrl, passwordsOf, urlWithoutPassword, withPassfile } from "./passfile";
import { trackProgress, type CopyPhase, type PhaseSummary } from "./progress";
import { runTool } from "./run-tool";
import { shellLine, toolEnv } from "./tool-env";

export { assertTargetEmpty, cleanTarget } from "./target";

export interface CopyOptions {
  sourceUrl: string;
  targetUrl: string;
  /** Parallel jobs for pg_dump and pg_restore (one connection each). */
  jobs: number;
  /** Where the dump directory may live (it gets a fresh 0700 directory inside, removed after). */
  workDir: string;
  log: StepLogger;
  signal?: AbortSignal;
  /** An exported snapshot to dump from, so verification can read the very same state. */
  snapshot?: string;
}

export interface CopyResult {
  tables: number;
  bytes: number;
  dumpMs: number;
  restoreMs: number;
}

/** Dump flags; the URL carries no password, libpq reads it from PGPASSFILE. */
export function dumpArgs(sourceUrl: string, dumpDir: string, jobs: number, snapshot?: string): string[] {
  const args = ["-Fd", "-Z0", "-j", String(jobs), "--no-owner", "--no-privileges", "-v", "-f", dumpDir];
  if (snapshot) args.push(`--snapshot=${snapshot}`);
  return [...args, "--dbname", urlWithoutPassword(sourceUrl)];
}

/** --exit-on-error: the first failing statement fails the step, like psql's ON_ERROR_STOP. */
export function restoreArgs(targetUrl: string, dumpDir: string, jobs: number): string[] {
  return ["-j", String(jobs), "--no-owner", "--no-privileges", "--exit-on-error", "-v", "--dbname", urlWithoutPassword(targetUrl), dumpDir];
}

/** pg_dump the source into a directory, pg_restore it into the target, then ANALYZE the target. */
export async function copyDatabase(opts: CopyOptions): Promise<CopyResult> {
  const jobs = Math.max(1, Math.floor(opts.jobs));
  const tables = await withClient(opts.sourceUrl, listTables);
  await mkdir(opts.workDir, { recursive: true });
  const workDir = await mkdtemp(path.join(opts.workDir, `${DUMP_PREFIX}${process.pid}-`));
  const dumpDir = path.join(workDir, "dump");
  try {
    return await withPassfile([opts.sourceUrl, opts.targetUrl], async (passfile) => {
      const phase = (name: CopyPhase, args: string[], url: string) =>
        runPhase({ ...opts, jobs, tables, phase: name, args, url, dumpDir, env: toolEnv(passfile.path) });
      const dump = await phase("dump", dumpArgs(opts.sourceUrl, dumpDir, jobs, opts.snapshot), opts.sourceUrl);
      const restore = await phase("restore", restoreArgs(opts.targetUrl, dumpDir, jobs), opts.targetUrl);
      if (opts.signal?.aborted) throw new Error("the copy was cancelled before ANALYZE");
      await analyzeTarget(opts.targetUrl, opts.log);
      return { tables: restore.tables, bytes: dump.bytes, dumpMs: dump.ms, restoreMs: restore.ms };
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

interface PhaseRun extends CopyOptions {
  phase: CopyPhase;
  tables: UserTable[];
  args: string[];
  url: string;
  dumpDir: string;
  env: NodeJS.ProcessEnv;
}

async function runPhase(run: PhaseRun): Promise<PhaseSummary> {
  const tool = run.phase === "dump" ? "pg_dump" : "pg_restore";
  const shown = run.args.map((a) => (a === urlWithoutPassword(run.url) ? maskedUrl(run.url) : a));
  run.log.command(shellLine(tool, shown));
  const progress = trackProgress({
    phase: run.phase,
    jobs: run.jobs,
    totalTables: run.tables.length,
    totalBytes: run.tables.reduce((sum, t) => sum + t.bytes, 0),
    log: run.log,
    measure: run.phase === "dump" ? () => directorySize(run.dumpDir) : sizeOfTables(run.tables),
  });
  try {
    await runTool({
      tool,
      args: run.args,
      env: run.env,
      log: run.log,
      signal: run.signal,
      secrets: passwordsOf([run.sourceUrl, run.targetUrl]),
      onLine: (_stream, line) => progress.onLine(line),
    });
  } catch (err) {
    await progress.stop(false);
    throw err;
  }
  return progress.stop(true);
}

/** The restore's bytes: the source sizes of the tables whose data has started loading. */
function sizeOfTables(tables: readonly UserTable[]) {
  const sizes = new Map(tables.map((t) => [`${t.schema}.${t.name}`, t.bytes]));
  return (started: readonly string[]) => started.reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0);
}

/** Sum of the file sizes in a -Fd dump directory (flat); 0 before pg_dump creates it. */
async function directorySize(dir: string): Promise<number> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(entries.map((e) => stat(path.join(dir, e)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Fresh planner statistics: a restored database has none, and the app's first queries would crawl. */
async function analyzeTarget(targetUrl: string, log: StepLogger): Promise<void> {
  log.command(shellLine("psql", ["--dbname", maskedUrl(targetUrl), "-c", "ANALYZE"]));
  const started = Date.now();
  await withClient(targetUrl, (client) => client.query("ANALYZE"));
  log.info(`analyzed the target in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
