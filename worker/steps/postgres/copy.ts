import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import type { StepLogger } from "@/worker/engine/step-logger";
import { holdSourceSnapshot } from "../db/source-snapshot";
import { listSequences } from "./catalog";
import { qualified, withClient } from "./client";
import { runPool } from "./copy-pool";
import { DUMP_PREFIX } from "./leftovers";
import { maskedUrl, passwordsOf, urlWithoutPassword, withPassfile } from "./passfile";
import { attachSql, parseToc, pickEarly, restList, type EarlyObject } from "./post-data-plan";
import { runTool } from "./run-tool";
import { copyProgress } from "./stream-progress";
import { planPieces, readSourceFacts, type SourceFacts } from "./table-copy";
import { shellLine, toolEnv } from "./tool-env";

export { assertTargetEmpty, cleanTarget } from "./target";

export interface CopyOptions {
  sourceUrl: string;
  targetUrl: string;
  /** Connections per side: tables (or ranges of a big one) streamed at once, then indexes built at once. */
  jobs: number;
  /** Where the small schema archive may live (a fresh 0700 directory inside, removed after). */
  workDir: string;
  log: StepLogger;
  signal?: AbortSignal;
  /** An exported snapshot to copy from (a rehearsal verifies against the same one); else one is taken. */
  snapshot?: string;
  /** Smallest range a big table is cut into (default 16 MB); tests lower it to exercise the ranges. */
  minPieceBytes?: number;
}

export interface CopyResult {
  /** Connections per side the copy used. */
  jobs: number;
  tables: number;
  rows: number;
  /** Bytes of row data streamed (COPY text or binary format). */
  bytes: number;
  /** The schema dumped and its tables and types created. */
  schemaMs: number;
  /** Until the last row was in (indexes of finished tables are already being built meanwhile). */
  dataMs: number;
  /** From the last row to the end: the remaining indexes and ANALYZEs, sequences, foreign keys and the rest. */
  postDataMs: number;
}

/** The most connections per side a copy may use (the plan's `jobs`). */
export const MAX_COPY_JOBS = 32;

/** A copy step without `jobs` uses one lane per core of the worker's machine. */
export function defaultCopyJobs(): number {
  return Math.min(MAX_COPY_JOBS, Math.max(1, os.availableParallelism()));
}

const MB = 1024 * 1024;
const DEFAULT_MIN_PIECE_BYTES = 16 * MB;
// Index builds share about 1 GB of sort memory on the target, at most 512 MB each.
const SORT_MEMORY_MB = 1024;

/** Dump flags for a full directory-format dump (the benchmark's comparison method); no password in argv. */
export function dumpArgs(sourceUrl: string, dumpDir: string, jobs: number, snapshot?: string): string[] {
  const args = ["-Fd", "-Z0", "-j", String(jobs), "--no-owner", "--no-privileges", "-v", "-f", dumpDir];
  if (snapshot) args.push(`--snapshot=${snapshot}`);
  return [...args, "--dbname", urlWithoutPassword(sourceUrl)];
}

/** --exit-on-error: the first failing statement fails the step, like psql's ON_ERROR_STOP. */
export function restoreArgs(targetUrl: string, dumpDir: string, jobs: number): string[] {
  return ["-j", String(jobs), "--no-owner", "--no-privileges", "--exit-on-error", "-v", "--dbname", urlWithoutPassword(targetUrl), dumpDir];
}

/** The schema only (pre- and post-data), as a small custom-format archive in UTF8 (the encoding the copy's own connections use). */
export function schemaDumpArgs(sourceUrl: string, archive: string, snapshot: string): string[] {
  return ["-Fc", "--section=pre-data", "--section=post-data", "--no-owner", "--no-privileges", "--encoding=UTF8", `--snapshot=${snapshot}`, "-f", archive, "--dbname", urlWithoutPassword(sourceUrl)];
}

/** Restores one section of the schema archive; `list` limits it to the entries a `pg_restore -l` file leaves uncommented. */
export function schemaRestoreArgs(targetUrl: string, archive: string, section: "pre-data" | "post-data", jobs: number, list?: string): string[] {
  return [
    `--section=${section}`,
    "-j",
    String(section === "pre-data" ? 1 : jobs),
    ...(list ? ["-L", list] : []),
    "--no-owner",
    "--no-privileges",
    "--exit-on-error",
    "--dbname",
    urlWithoutPassword(targetUrl),
    archive,
  ];
}

/**
 * Copies the source into the empty target the fastest way a fast link allows, reading one
 * exported snapshot throughout: the schema without indexes and constraints; then every table's
 * rows streamed server to server with COPY on `jobs` lanes (largest first, a big table cut into
 * ranges of blocks), each table's indexes and keys built and its ANALYZE run as soon as its rows
 * are in while other lanes still stream; then sequences, then foreign keys and the rest of the
 * schema in parallel. Only a small schema archive touches the local disk.
 */
export async function copyDatabase(opts: CopyOptions): Promise<CopyResult> {
  const jobs = Math.max(1, Math.floor(opts.jobs));
  await mkdir(opts.workDir, { recursive: true });
  const workDir = await mkdtemp(path.join(opts.workDir, `${DUMP_PREFIX}${process.pid}-`));
  const file = (name: string) => path.join(workDir, name);
  try {
    return await withPassfile([opts.sourceUrl, opts.targetUrl], async (passfile) => {
      const tool = (name: string, args: string[], what: string) => whileTicking(opts.log, what, () => runLogged({ ...opts, tool: name, args, env: toolEnv(passfile.path) }));
      const held = opts.snapshot ? null : await holdSourceSnapshot(opts.sourceUrl);
      const snapshot = opts.snapshot ?? held!.id;
      try {
        const started = Date.now();
        const facts = await withClient(opts.sourceUrl, (c) => inSnapshot(c, snapshot, readSourceFacts));
        refuseLargeObjects(facts);
        const targetVersion = await withClient(opts.targetUrl, serverVersion);
        await tool("pg_dump", schemaDumpArgs(opts.sourceUrl, file("schema.dump"), snapshot), "reading the schema");
        await tool("pg_restore", schemaRestoreArgs(opts.targetUrl, file("schema.dump"), "pre-data", jobs), "creating tables and types");
        const early = await planEarlyObjects(facts, file, (name, args) => tool(name, args, "planning indexes and constraints"), opts.log);
        const schemaMs = Date.now() - started;

        const pieces = planPieces(facts.tables, { jobs, canSplit: facts.version >= 140000, minPieceBytes: opts.minPieceBytes ?? DEFAULT_MIN_PIECE_BYTES });
        const ranged = facts.tables.length ? pieces.length - facts.tables.length : 0;
        const foreignKeys = early.objects.filter((o) => o.kind === "foreign-key").length;
        opts.log.info(
          `copy: ${facts.tables.length} tables in ${pieces.length} COPY streams${ranged ? " (big tables cut into ranges)" : ""} on ${jobs} lanes; ` +
            `${early.objects.length - foreignKeys} indexes and keys and ${foreignKeys} foreign key${foreignKeys === 1 ? "" : "s"} built as soon as their tables are in`,
        );
        const progress = copyProgress({ totalTables: facts.tables.length, estimatedBytes: facts.tables.reduce((n, t) => n + t.bytes, 0), totalObjects: early.objects.length, log: opts.log });
        const data = await runPool({
          ...opts,
          snapshot,
          jobs,
          pieces,
          objects: early.objects,
          preamble: early.preamble,
          binary: Math.floor(facts.version / 10_000) === Math.floor(targetVersion / 10_000),
          maintenanceWorkMemMb: Math.min(512, Math.max(64, SORT_MEMORY_MB / jobs)),
          analyzeLater: new Set(facts.tables.filter((t) => t.hasChildren).map((t) => t.oid)),
          progress,
        });
        const dataDoneAt = started + schemaMs + data.dataMs;
        await copySequences(opts.sourceUrl, opts.targetUrl, snapshot, opts.log);
        await held?.release();
        if (opts.signal?.aborted) throw new Error("the copy was cancelled before the rest of the schema");
        await tool("pg_restore", schemaRestoreArgs(opts.targetUrl, file("schema.dump"), "post-data", jobs, file("rest.list")), "creating the rest of the schema");
        if (opts.signal?.aborted) throw new Error("the copy was cancelled before its last ANALYZE");
        await analyzeTheRest(opts.targetUrl, facts, jobs, opts.log);
        return { jobs, tables: facts.tables.length, rows: data.rows, bytes: data.bytes, schemaMs, dataMs: data.dataMs, postDataMs: Date.now() - dataDoneAt };
      } finally {
        await held?.release();
      }
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Splits the archive's post-data into what each table can build as soon as its rows are in (its
 * indexes and key constraints, with pg_restore's own SQL for them) and the rest, written as a
 * pg_restore list for the end. If the two cannot be matched up, everything waits for the end.
 */
async function planEarlyObjects(
  facts: SourceFacts,
  file: (name: string) => string,
  tool: (name: string, args: string[]) => Promise<unknown>,
  log: StepLogger,
): Promise<{ objects: EarlyObject[]; preamble: string }> {
  await tool("pg_restore", ["-l", "-f", file("toc.list"), file("schema.dump")]);
  const listing = await readFile(file("toc.list"), "utf8");
  const wanted = pickEarly(parseToc(listing), facts.objects);
  let early: { objects: EarlyObject[]; preamble: string } | null = { objects: [], preamble: "" };
  if (wanted.length) {
    await writeFile(file("early.list"), `${wanted.map((w) => w.entry.line).join("\n")}\n`);
    await tool("pg_restore", ["-L", file("early.list"), "-f", file("early.sql"), file("schema.dump")]);
    early = attachSql(wanted, await readFile(file("early.sql"), "utf8"));
    if (!early) log.info("copy: could not match pg_restore's index statements to the catalog; every index is built after the data instead");
  }
  await writeFile(file("rest.list"), restList(listing, early?.objects ?? []));
  return early ?? { objects: [], preamble: "" };
}

async function inSnapshot<T>(client: pg.Client, snapshot: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
  const result = await fn(client);
  await client.query("COMMIT");
  return result;
}

async function serverVersion(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>("SELECT current_setting('server_version_num')::int AS n");
  return rows[0]!.n;
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

function runLogged(run: CopyOptions & { tool: string; args: string[]; env: NodeJS.ProcessEnv }) {
  const shown = run.args.map((a) => (a === urlWithoutPassword(run.sourceUrl) ? maskedUrl(run.sourceUrl) : a === urlWithoutPassword(run.targetUrl) ? maskedUrl(run.targetUrl) : a));
  run.log.command(shellLine(run.tool, shown));
  return runTool({ tool: run.tool, args: run.args, env: run.env, log: run.log, signal: run.signal, secrets: passwordsOf([run.sourceUrl, run.targetUrl]) });
}

// Large objects live outside tables; COPY would silently leave them behind.
function refuseLargeObjects(facts: SourceFacts): void {
  if (facts.largeObjects > 0) {
    throw new Error(`the source holds ${facts.largeObjects} large object(s) (pg_largeobject), which the streaming copy does not carry; move them into bytea columns first`);
  }
}

/** Each sequence as the source has it (value and whether it was called), so the target hands out what comes next. */
async function copySequences(sourceUrl: string, targetUrl: string, snapshot: string, log: StepLogger): Promise<void> {
  const values = await withClient(sourceUrl, (c) =>
    inSnapshot(c, snapshot, async () => {
      const out: Array<{ name: string; last: string; called: boolean }> = [];
      for (const s of await listSequences(c)) {
        const name = qualified(s.schema, s.name);
        const { rows } = await c.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${name}`);
        out.push({ name, last: rows[0]!.last_value, called: rows[0]!.is_called });
      }
      return out;
    }),
  );
  await withClient(targetUrl, async (c) => {
    for (const v of values) await c.query("SELECT setval($1::regclass, $2::bigint, $3)", [v.name, v.last, v.called]);
  });
  log.info(`copy: set ${values.length} sequence(s) to the source's values`);
}

/**
 * Statistics for what could not be analyzed table by table: partitioned parents and inheritance
 * parents (their children's rows count) and materialized views (filled in the rest of the schema).
 */
async function analyzeTheRest(targetUrl: string, facts: SourceFacts, jobs: number, log: StepLogger): Promise<void> {
  const parents = facts.tables.filter((t) => t.hasChildren).map((t) => qualified(t.schema, t.name));
  const others = await withClient(targetUrl, async (c) => {
    const { rows } = await c.query<{ name: string }>(`
      SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`);
    return rows.map((r) => r.name);
  });
  const queue = [...parents, ...others];
  if (!queue.length) return;
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, () =>
      withClient(targetUrl, async (c) => {
        for (let name = queue.shift(); name; name = queue.shift()) {
          await c.query(`ANALYZE ${name}`).catch((err: Error) => {
            throw new Error(`ANALYZE ${name} failed: ${err.message}`);
          });
        }
      }),
    ),
  );
  log.info(`copy: analyzed ${parents.length + others.length} partitioned or parent table(s) and materialized view(s)`);
}
