import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import type { StepLogger } from "@/worker/engine/step-logger";
import { holdSourceSnapshot } from "../db/source-snapshot";
import { listSequences, listTables } from "./catalog";
import { createTargetExtensions } from "./extensions";
import { splitRestoreList } from "./restore-list";
import { qualified, withClient } from "./client";
import { DUMP_PREFIX } from "./leftovers";
import { maskedUrl, passwordsOf, withPassfile } from "./passfile";
import { runTool } from "./run-tool";
import { streamProgress } from "./stream-progress";
import { listCopyTables, streamTables } from "./table-copy";
import { shellLine, toolDbname, toolEnv } from "./tool-env";

export { assertTargetEmpty, cleanTarget } from "./target";

export interface CopyOptions {
  sourceUrl: string;
  targetUrl: string;
  /** Tables streamed at once, and pg_restore jobs for indexes and constraints (one connection each per side). */
  jobs: number;
  /** Where the small schema archive may live (a fresh 0700 directory inside, removed after). */
  workDir: string;
  log: StepLogger;
  signal?: AbortSignal;
  /** An exported snapshot to copy from (a rehearsal verifies against the same one); else one is taken. */
  snapshot?: string;
}

export interface CopyResult {
  tables: number;
  rows: number;
  /** Bytes of row data streamed (COPY text format). */
  bytes: number;
  schemaMs: number;
  dataMs: number;
  postDataMs: number;
}

/** Dump flags for a full directory-format dump (the benchmark's comparison method); no password in argv. */
export function dumpArgs(sourceUrl: string, dumpDir: string, jobs: number, snapshot?: string): string[] {
  const args = ["-Fd", "-Z0", "-j", String(jobs), "--no-owner", "--no-privileges", "-v", "-f", dumpDir];
  if (snapshot) args.push(`--snapshot=${snapshot}`);
  return [...args, "--dbname", toolDbname(sourceUrl)];
}

/** --exit-on-error: the first failing statement fails the step, like psql's ON_ERROR_STOP. */
export function restoreArgs(targetUrl: string, dumpDir: string, jobs: number): string[] {
  return ["-j", String(jobs), "--no-owner", "--no-privileges", "--exit-on-error", "-v", "--dbname", toolDbname(targetUrl), dumpDir];
}

/** The schema only (pre- and post-data), as a small custom-format archive pg_restore can run in parallel. */
export function schemaDumpArgs(sourceUrl: string, archive: string, snapshot: string): string[] {
  return ["-Fc", "--section=pre-data", "--section=post-data", "--no-owner", "--no-privileges", `--snapshot=${snapshot}`, "-f", archive, "--dbname", toolDbname(sourceUrl)];
}

export function schemaRestoreArgs(targetUrl: string, archive: string, section: "pre-data" | "post-data", jobs: number, listFile?: string): string[] {
  const list = listFile ? ["-L", listFile] : [];
  return [`--section=${section}`, ...list, "-j", String(section === "pre-data" ? 1 : jobs), "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", toolDbname(targetUrl), archive];
}

/**
 * Copies the source into the empty target the fastest way a fast link allows: the schema without
 * indexes and constraints, then every table's rows streamed server to server (several at once,
 * largest first, one snapshot, each table analyzed as it lands), then sequences, then indexes and
 * constraints in parallel.
 * Only a small schema archive touches the local disk.
 */
export async function copyDatabase(opts: CopyOptions): Promise<CopyResult> {
  const jobs = Math.max(1, Math.floor(opts.jobs));
  await mkdir(opts.workDir, { recursive: true });
  const workDir = await mkdtemp(path.join(opts.workDir, `${DUMP_PREFIX}${process.pid}-`));
  const archive = path.join(workDir, "schema.dump");
  try {
    return await withPassfile([opts.sourceUrl, opts.targetUrl], async (passfile) => {
      // Each tool talks to one side, so its TLS settings come from that side's URL.
      const tool = (name: "pg_dump" | "pg_restore", args: string[], what: string) =>
        whileTicking(opts.log, what, () => runLogged({ ...opts, tool: name, args, env: toolEnv(passfile.path, name === "pg_dump" ? opts.sourceUrl : opts.targetUrl) }));
      const held = opts.snapshot ? null : await holdSourceSnapshot(opts.sourceUrl);
      const snapshot = opts.snapshot ?? held!.id;
      try {
        const tables = await withClient(opts.sourceUrl, async (c) => {
          await refuseLargeObjects(c);
          return listCopyTables(c, await listTables(c));
        });
        const schemaMs = await timed(async () => {
          await tool("pg_dump", schemaDumpArgs(opts.sourceUrl, archive, snapshot), "reading the schema");
          await restorePreData({ archive, workDir, targetUrl: opts.targetUrl, sourceUrl: opts.sourceUrl, jobs, log: opts.log, tool });
        });
        const progress = streamProgress({ totalTables: tables.length, estimatedBytes: tables.reduce((n, t) => n + t.bytes, 0), log: opts.log });
        const data = await streamTables({
          ...opts,
          snapshot,
          tables,
          jobs,
          onBytes: progress.addBytes,
          onTableDone: (t, rows, bytes, ms) => progress.tableDone(`${t.schema}.${t.name}`, rows, bytes, ms),
        }).finally(progress.stop);
        const dataMs = progress.finish().ms;
        await copySequences(opts.sourceUrl, opts.targetUrl, snapshot, opts.log);
        held && (await held.release());
        if (opts.signal?.aborted) throw new Error("the copy was cancelled before indexes and constraints");
        const postDataMs = await timed(() => tool("pg_restore", schemaRestoreArgs(opts.targetUrl, archive, "post-data", jobs), "building indexes and constraints"));
        return { tables: tables.length, rows: data.rows, bytes: data.bytes, schemaMs, dataMs, postDataMs };
      } finally {
        await held?.release();
      }
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Schemas, then the extensions (created by the target's own user where it may; pg_restore would
 * replay CREATE/COMMENT ON EXTENSION, which only their owner may run), then types, tables, functions.
 */
async function restorePreData(o: { archive: string; workDir: string; sourceUrl: string; targetUrl: string; jobs: number; log: StepLogger; tool: (name: "pg_dump" | "pg_restore", args: string[], what: string) => Promise<unknown> }) {
  const tocFile = path.join(o.workDir, "toc.list");
  await o.tool("pg_restore", ["-l", "-f", tocFile, o.archive], "reading the schema's table of contents");
  const lists = splitRestoreList(await readFile(tocFile, "utf8"));
  const [schemas, rest] = [path.join(o.workDir, "schemas.list"), path.join(o.workDir, "pre-data.list")];
  await Promise.all([writeFile(schemas, lists.schemas), writeFile(rest, lists.rest)]);
  await o.tool("pg_restore", schemaRestoreArgs(o.targetUrl, o.archive, "pre-data", 1, schemas), "creating schemas");
  await createTargetExtensions(o.sourceUrl, o.targetUrl, o.log);
  await o.tool("pg_restore", schemaRestoreArgs(o.targetUrl, o.archive, "pre-data", 1, rest), "creating tables and types");
}

// A phase that prints nothing (waiting for a lock, building a big index) still shows it is alive.
async function whileTicking<T>(log: StepLogger, what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => log.info(`copy: ${what}… ${Math.round((Date.now() - started) / 1000)} s`), 2_000);
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await fn();
  return Date.now() - started;
}

function runLogged(run: CopyOptions & { tool: string; args: string[]; env: NodeJS.ProcessEnv }) {
  const shown = run.args.map((a) => (a === toolDbname(run.sourceUrl) ? maskedUrl(run.sourceUrl) : a === toolDbname(run.targetUrl) ? maskedUrl(run.targetUrl) : a));
  run.log.command(shellLine(run.tool, shown));
  return runTool({ tool: run.tool, args: run.args, env: run.env, log: run.log, signal: run.signal, secrets: passwordsOf([run.sourceUrl, run.targetUrl]) });
}

// Large objects live outside tables; COPY would silently leave them behind.
async function refuseLargeObjects(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_largeobject_metadata");
  if (Number(rows[0]!.n) > 0) {
    throw new Error(`the source holds ${rows[0]!.n} large object(s) (pg_largeobject), which the streaming copy does not carry; move them into bytea columns first`);
  }
}

/** Each sequence as the source has it (value and whether it was called), so the target hands out what comes next. */
async function copySequences(sourceUrl: string, targetUrl: string, snapshot: string, log: StepLogger): Promise<void> {
  const values = await withClient(sourceUrl, async (c) => {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await c.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
    const out: Array<{ name: string; last: string; called: boolean }> = [];
    for (const s of await listSequences(c)) {
      const name = qualified(s.schema, s.name);
      const { rows } = await c.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${name}`);
      out.push({ name, last: rows[0]!.last_value, called: rows[0]!.is_called });
    }
    await c.query("COMMIT");
    return out;
  });
  await withClient(targetUrl, async (c) => {
    for (const v of values) await c.query("SELECT setval($1::regclass, $2::bigint, $3)", [v.name, v.last, v.called]);
  });
  log.info(`copy: set ${values.length} sequence(s) to the source's values`);
}
