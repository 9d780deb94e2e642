// TEMPORARY experiment (deleted before hand-off): what does reading 1000 log lines cost?
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
  for (let i = 0; i < 50; i++) await writeBatch(pool, runId, Array.from({ length: 1000 }, (_, j) => ({ n: j, stepRunId: null, stream: "stdout" as const, text: `${Date.now()} line ${j} pg_restore: processing data for table "public.order_items"`, at: new Date() })));
  await pool.query("VACUUM ANALYZE log_lines");
  const variants: Record<string, string> = {
    current: `SELECT seq, stream::text AS stream, text, created_at AS at, step_run_id FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
    tochar: `SELECT seq, stream::text AS stream, text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, step_run_id FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
    epoch: `SELECT seq, stream::text AS stream, text, (extract(epoch from created_at) * 1000)::float8 AS at, step_run_id FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
    countonly: `SELECT count(*) FROM (SELECT seq FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000) s`,
  };
  for (let round = 0; round < 2; round++) {
    for (const [name, sql] of Object.entries(variants)) {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        const { rows } = await pool.query(sql, [runId, (i % 45) * 1000]);
        if (name === "current") rows.map((r) => r.at.toISOString());
        if (name === "epoch") rows.map((r) => new Date(r.at).toISOString());
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(`${name}: median ${times[15]!.toFixed(1)} ms, p90 ${times[27]!.toFixed(1)} ms`);
    }
  }
  const ex = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${variants.current}`, [runId, 20000]);
  console.log(ex.rows.map((r) => r["QUERY PLAN"]).join("\n"));
  await pool.end();
} finally {
  await server.stop();
}
