// TEMPORARY experiment (deleted before hand-off): where does a LogWriter batch's time go?
import { randomUUID } from "node:crypto";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedServer } from "@/lib/pg/embedded-server";
import { writeBatch } from "@/worker/logs/write-batch";

const server = await startEmbeddedServer({ dataDir: "/tmp/sy-logs-exp/pg", port: 27760, password: "exp-only", logFile: "/tmp/sy-logs-exp/pg.log" });
try {
  const url = await server.database("exp");
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const runId = randomUUID();
  const c = await pool.connect();
  await c.query(`SET session_replication_role = replica`);
  await c.query(`INSERT INTO cutover_runs (id, cutover_id, kind, plan_snapshot, plan_hash, status, version, last_log_seq) VALUES ($1, gen_random_uuid(), 'rehearsal', '{}', 'x', 'running', 0, 0)`, [runId]);
  c.release();
  const n = Number(process.argv[2] ?? 1000);
  const mk = () => Array.from({ length: n }, (_, i) => ({ n: i, stepRunId: null, stream: "stdout" as const, text: `${Date.now()} line ${i} pg_restore: processing data for table "public.order_items"`, at: new Date() }));
  for (let round = 0; round < 3; round++) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await writeBatch(pool, runId, mk());
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`batch ${n}: median ${times[10]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms`);
  }
  // pieces
  const cl = await pool.connect();
  const lines = mk();
  const tm = async (label: string, f: () => Promise<unknown>) => { const t = performance.now(); await f(); console.log(label, (performance.now() - t).toFixed(1)); };
  await tm("BEGIN", () => cl.query("BEGIN"));
  await tm("UPDATE", () => cl.query(`UPDATE cutover_runs SET last_log_seq = last_log_seq + $2 WHERE id = $1 RETURNING last_log_seq`, [runId, n]));
  await tm("INSERT", () => cl.query(`INSERT INTO log_lines (run_id, step_run_id, seq, stream, text, created_at)
  SELECT $1::uuid, u.step_run_id, $2::int + u.ord::int, u.stream::"LogStream", u.text, u.created_at
  FROM unnest($3::uuid[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS u(step_run_id, stream, text, created_at, ord)`, [runId, 10_000_000, lines.map(() => null), lines.map((l) => l.stream), lines.map((l) => l.text), lines.map((l) => l.at.toISOString())]));
  await tm("NOTIFY", () => cl.query(`SELECT pg_notify('x', 'y')`));
  await tm("COMMIT", () => cl.query("COMMIT"));
  await tm("read 1000", () => cl.query(`SELECT seq, stream::text AS stream, text, created_at AS at, step_run_id FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`, [runId, 5000]));
  await tm("read 1000", () => cl.query(`SELECT seq, stream::text AS stream, text, created_at AS at, step_run_id FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`, [runId, 15000]));
  cl.release();
  await pool.end();
} finally {
  await server.stop();
}
