import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { StepLogger } from "@/worker/engine/step-logger";
import { connect, qualified, quoteIdent } from "./client";
import { listColumnTypes, textFormatReason } from "./copyability";

export interface CopyTable {
  schema: string;
  name: string;
  /** Estimated from pg_class pages: what orders the work, largest first. */
  bytes: number;
  /** Columns COPY carries: generated columns are computed again on the target. */
  columns: string[];
  /** Every column's type is built in (domains unwrapped) with binary I/O, so COPY may use the binary format. */
  binary: boolean;
  /** Why not, e.g. "column tags: array of enum public.order_channel"; null when binary is fine. */
  textReason: string | null;
}

/**
 * Every table (leaf partitions included: a partitioned parent has no rows of its own and COPY
 * cannot write into it) with its copied columns, the format its types allow, and its estimated size, largest first.
 */
export async function listCopyTables(client: pg.Client, tables: Array<{ schema: string; name: string; bytes: number }>): Promise<CopyTable[]> {
  const types = await listColumnTypes(client);
  return tables
    .map((t) => {
      const columns = types.get(`${t.schema}.${t.name}`) ?? [];
      const textReason = textFormatReason(columns);
      // A table without columns still has rows; only the text format carries them without a column list.
      return { ...t, columns: columns.map((c) => c.column), binary: columns.length > 0 && textReason === null, textReason };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

export interface TableStreamsOptions {
  sourceUrl: string;
  targetUrl: string;
  snapshot: string;
  tables: CopyTable[];
  jobs: number;
  signal?: AbortSignal;
  onBytes: (n: number) => void;
  onTableDone: (t: CopyTable, rows: number, bytes: number, ms: number) => void;
  /** Hears which tables go in text format and why (copy.ts passes its step logger along with its options). */
  log?: Pick<StepLogger, "info">;
}

// Text COPY is only exact if both sessions spell values alike: a role's DateStyle "SQL, DMY" or
// extra_float_digits = 0 would swap days and months or round floats (pg_dump sets the same).
// The source names reg* values with their schema, so the target resolves the same objects.
const SPELLING = "SET DateStyle = ISO; SET IntervalStyle = postgres; SET lc_monetary = 'C'";
const SOURCE_SESSION = `${SPELLING}; SET extra_float_digits = 3; SET search_path = ''`;
const TARGET_SESSION = `${SPELLING}; SET xmloption = content`;

/**
 * Streams every table's rows from the source (all readers share one exported snapshot) straight
 * into the target with COPY, `jobs` tables at a time, largest first. The first failure stops the
 * others and is reported with the table it happened on.
 */
export async function streamTables(opts: TableStreamsOptions): Promise<{ rows: number; bytes: number }> {
  const queue = [...opts.tables];
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(new Error("the copy was cancelled"));
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (opts.signal?.aborted) onOuterAbort();
  const totals = { rows: 0, bytes: 0 };
  let saidMajors = false;
  const lane = async () => {
    const [src, tgt] = await Promise.all([connect(opts.sourceUrl), connect(opts.targetUrl)]);
    // An in-flight COPY only stops when its connections do.
    const cut = () => [src, tgt].forEach((c) => (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy());
    stop.signal.addEventListener("abort", cut, { once: true });
    try {
      await src.query(SOURCE_SESSION);
      await tgt.query(TARGET_SESSION);
      await src.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await src.query(`SET TRANSACTION SNAPSHOT '${opts.snapshot.replace(/'/g, "''")}'`);
      // The copy is verified and re-run after a crash, so the target need not flush each commit.
      await tgt.query("SET synchronous_commit = off");
      // Binary COPY skips text parsing on both servers; its format is only promised within one major version.
      const [sourceMajor, targetMajor] = [await majorOf(src), await majorOf(tgt)];
      const sameMajor = sourceMajor === targetMajor;
      if (!sameMajor && !saidMajors) {
        saidMajors = true;
        opts.log?.info(`copy: text format for every table (source PostgreSQL ${sourceMajor}, target ${targetMajor}: binary COPY is only promised within one major version)`);
      }
      for (let t = queue.shift(); t && !stop.signal.aborted; t = queue.shift()) {
        const started = Date.now();
        if (sameMajor && t.textReason) opts.log?.info(`copy: text format for ${t.schema}.${t.name} (${t.textReason})`);
        const { rows, bytes } = await copyOne(src, tgt, t, sameMajor && t.binary, opts.onBytes).catch((err: Error) => {
          throw stop.signal.aborted ? (stop.signal.reason as Error) : new Error(`copying the rows of ${t.schema}.${t.name} failed: ${err.message}`);
        });
        totals.rows += rows;
        totals.bytes += bytes;
        // Statistics right away, while other lanes still stream: no separate ANALYZE pass at the end.
        await tgt.query(`ANALYZE ${qualified(t.schema, t.name)}`);
        opts.onTableDone(t, rows, bytes, Date.now() - started);
      }
      await src.query("COMMIT");
    } finally {
      stop.signal.removeEventListener("abort", cut);
      await Promise.all([src.end().catch(() => undefined), tgt.end().catch(() => undefined)]);
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(opts.jobs, queue.length)) }, () => lane().catch((err: Error) => (stop.abort(err), Promise.reject(err))));
  try {
    // Wait for every lane to stop, so no session outlives the step, then report the first failure.
    const results = await Promise.allSettled(lanes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (stop.signal.aborted) throw stop.signal.reason as Error;
    if (failed) throw failed.reason as Error;
    return totals;
  } finally {
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

async function majorOf(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>("SELECT current_setting('server_version_num') AS n");
  return Math.floor(Number(rows[0]!.n) / 10_000);
}

async function copyOne(src: pg.Client, tgt: pg.Client, t: CopyTable, binary: boolean, onBytes: (n: number) => void): Promise<{ rows: number; bytes: number }> {
  // A table without columns still has rows; COPY takes no column list then.
  const columns = t.columns.length ? ` (${t.columns.map(quoteIdent).join(", ")})` : "";
  const table = qualified(t.schema, t.name);
  const format = binary ? " (FORMAT binary)" : "";
  const out = src.query(copyTo(`COPY ${table}${columns} TO STDOUT${format}`));
  const into = tgt.query(copyFrom(`COPY ${table}${columns} FROM STDIN${format}`));
  let bytes = 0;
  out.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    onBytes(chunk.length);
  });
  await pipeline(out, into);
  return { rows: Number(into.rowCount ?? 0), bytes };
}
