import type pg from "pg";
import { connect, qualified } from "./client";
import { relayCopy } from "./copy-relay";
import type { EarlyObject } from "./post-data-plan";
import { Schedule, type Task } from "./pool-schedule";
import type { CopyProgress } from "./stream-progress";
import { copyStatements, describePiece, type CopyTable, type Piece } from "./table-copy";

export interface PoolOptions {
  sourceUrl: string;
  targetUrl: string;
  snapshot: string;
  jobs: number;
  pieces: Piece[];
  objects: EarlyObject[];
  /** pg_restore's session settings (search_path and the like), for running its index statements. */
  preamble: string;
  /** Both servers share a major version: tables whose types all have binary I/O copy in binary. */
  binary: boolean;
  /** maintenance_work_mem for index builds, in MB; a larger setting on the server is kept. */
  maintenanceWorkMemMb: number;
  analyzeLater: ReadonlySet<number>;
  progress: CopyProgress;
  signal?: AbortSignal;
}

// Both sides read and write text the same way whatever the servers' or roles' defaults are,
// no timeout set for the role stops a long COPY or index build, and the source refuses (rather
// than silently filters) rows that row-level security would hide, as pg_dump does.
const SESSION = "SET datestyle = ISO; SET intervalstyle = postgres; SET extra_float_digits = 3; SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0";
const SOURCE_SESSION = `${SESSION}; SET row_security = off`;
// The copy is verified, and re-run after a crash, so the target need not flush each commit. The
// lanes already build several indexes at once; parallel workers per build would only compete with
// them (measured: a third more CPU, no faster). To use a bigger target, raise the plan's jobs.
const TARGET_SESSION = `${SESSION}; SET synchronous_commit = off; SET max_parallel_maintenance_workers = 0`;

/**
 * Runs the schedule on `jobs` lanes, each a target connection plus (while rows remain) a source
 * connection inside the exported snapshot. The first failure, or the step's cancellation, closes
 * every connection at once (an in-flight COPY stops only when its connection does), waits for all
 * lanes to stop, and is reported with the table or object it happened on.
 */
export async function runPool(opts: PoolOptions): Promise<{ rows: number; bytes: number; dataMs: number }> {
  const stop = new AbortController();
  const open = new Set<pg.Client>();
  const cut = () => open.forEach(destroy);
  stop.signal.addEventListener("abort", cut, { once: true });
  const onOuterAbort = () => stop.abort(cancelled());
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (opts.signal?.aborted) onOuterAbort();

  const totals = { rows: 0, bytes: 0, loadedTables: 0, dataMs: 0 };
  const started = new Map<number, number>();
  /** Time spent building each table's indexes and keys (summed over lanes). */
  const buildMs = new Map<number, number>();
  const tableRows = new Map<number, { rows: number; bytes: number }>();
  const tableCount = new Set(opts.pieces.map((p) => p.table.oid)).size;
  const schedule = new Schedule(
    opts.pieces,
    opts.objects,
    {
      onTableLoaded: (t) => {
        const got = tableRows.get(t.oid) ?? { rows: 0, bytes: 0 };
        opts.progress.tableDone(`${t.schema}.${t.name}`, got.rows, got.bytes, Date.now() - (started.get(t.oid) ?? Date.now()));
        if (++totals.loadedTables === tableCount) totals.dataMs = opts.progress.dataDone(totals.rows);
      },
      onKeysBuilt: (t, n) => opts.progress.keysBuilt(`${t.schema}.${t.name}`, n, buildMs.get(t.oid) ?? 0),
    },
    opts.analyzeLater,
  );
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  stop.signal.addEventListener("abort", wake, { once: true });
  const next = async (): Promise<Task | null> => {
    for (;;) {
      if (stop.signal.aborted) return null;
      const task = schedule.take();
      if (task !== "wait") return task;
      await new Promise<void>((r) => waiters.push(r));
    }
  };

  const opened = async (url: string, setup: string): Promise<pg.Client> => {
    const client = await connect(url);
    open.add(client);
    if (stop.signal.aborted) destroy(client);
    await client.query(setup);
    return client;
  };
  const openSource = async () => {
    const src = await opened(opts.sourceUrl, SOURCE_SESSION);
    await src.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await src.query(`SET TRANSACTION SNAPSHOT '${opts.snapshot.replace(/'/g, "''")}'`);
    return src;
  };
  const close = async (client: pg.Client) => {
    open.delete(client);
    await client.end().catch(() => undefined);
  };

  const copyPiece = async (src: pg.Client, tgt: pg.Client, piece: Piece) => {
    const t = piece.table;
    if (!started.has(t.oid)) started.set(t.oid, Date.now());
    const sql = copyStatements(piece, opts.binary);
    let live = 0;
    // FREEZE needs the table emptied in the same transaction; it is empty, so TRUNCATE costs nothing.
    if (sql.freeze) await tgt.query(`BEGIN; TRUNCATE ONLY ${qualified(t.schema, t.name)}`);
    const got = await relayCopy(src, tgt, sql.out, sql.into, (bytes, rows) => {
      live += rows;
      opts.progress.addBytes(bytes);
      opts.progress.addRows(rows);
    });
    if (sql.freeze) await tgt.query("COMMIT");
    opts.progress.addRows(got.rows - live);
    opts.progress.pieceDone(got.bytes, piece.bytes);
    const sum = tableRows.get(t.oid) ?? { rows: 0, bytes: 0 };
    tableRows.set(t.oid, { rows: sum.rows + got.rows, bytes: sum.bytes + got.bytes });
    totals.rows += got.rows;
    totals.bytes += got.bytes;
  };

  const lane = async () => {
    const tgt = await opened(opts.targetUrl, `${TARGET_SESSION}; ${workMemSetting(opts.maintenanceWorkMemMb)}`);
    let src: pg.Client | null = null;
    try {
      if (opts.preamble) await tgt.query(opts.preamble);
      for (let task = await next(); task; task = await next()) {
        if (task.kind === "copy") {
          src ??= await openSource();
          await copyPiece(src, tgt, task.piece).catch(failed(describeTask(task)));
        } else {
          // No rows left to read: the source need not keep this session (and its snapshot) any longer.
          if (src && schedule.copiesLeft === 0) await close(src).then(() => (src = null));
          const began = Date.now();
          await tgt.query(task.kind === "build" ? task.step.sql : `ANALYZE ${qualified(task.table.schema, task.table.name)}`).catch(failed(describeTask(task)));
          if (task.kind === "analyze") opts.progress.analyzedOne();
          else {
            const t = task.step.table;
            buildMs.set(t.oid, (buildMs.get(t.oid) ?? 0) + Date.now() - began);
            if (!task.step.then) opts.progress.objectDone();
          }
        }
        schedule.finish(task);
        wake();
      }
    } finally {
      await Promise.all([src, tgt].filter((c): c is pg.Client => c !== null).map(close));
    }
  };
  const failed = (what: string) => (err: Error) => {
    throw stop.signal.aborted ? (stop.signal.reason as Error) : new Error(`${what} failed: ${err.message}`);
  };

  const work = opts.pieces.length + opts.objects.length;
  const lanes = Array.from({ length: Math.max(1, Math.min(opts.jobs, work)) }, () => lane().catch((err: Error) => (stop.abort(err), Promise.reject(err))));
  try {
    // Every lane has stopped (so no session outlives the step) before the first failure is reported.
    const results = await Promise.allSettled(lanes);
    if (stop.signal.aborted) throw stop.signal.reason as Error;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason as Error;
    return { rows: totals.rows, bytes: totals.bytes, dataMs: totals.dataMs };
  } finally {
    opts.signal?.removeEventListener("abort", onOuterAbort);
    opts.progress.stop();
  }
}

function describeTask(task: Task): string {
  if (task.kind === "copy") return `copying the rows of ${describePiece(task.piece)}`;
  if (task.kind === "analyze") return `ANALYZE ${task.table.schema}.${task.table.name}`;
  return task.step.what;
}

function cancelled(): Error {
  const err = new Error("the copy was cancelled");
  err.name = "AbortError";
  return err;
}

function destroy(client: pg.Client) {
  (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

// Larger sorts in memory make index builds markedly faster; only ever raised, never lowered.
function workMemSetting(mb: number): string {
  return `SELECT set_config('maintenance_work_mem', greatest(pg_size_bytes(current_setting('maintenance_work_mem')) / 1024, ${Math.floor(mb) * 1024})::text || 'kB', false)`;
}
