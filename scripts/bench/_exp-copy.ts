// TEMPORARY experiment (deleted before hand-off): INSERT … unnest vs COPY for a log batch.
import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedServer } from "@/lib/pg/embedded-server";

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
  const N = 5000;
  let seq = 0;
  const mk = () => Array.from({ length: N }, (_, i) => ({ text: `${Date.now()} line ${i} pg_restore: processing data for table "public.order_items"`, at: new Date() }));
  const insert = async (lines: ReturnType<typeof mk>) => {
    const base = seq; seq += N;
    await pool.query(`INSERT INTO log_lines (run_id, step_run_id, seq, stream, text, created_at)
      SELECT $1::uuid, u.step_run_id, $2::int + u.ord::int, u.stream::"LogStream", u.text, u.created_at
      FROM unnest($3::uuid[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS u(step_run_id, stream, text, created_at, ord)`,
      [runId, base, lines.map(() => null), lines.map(() => "stdout"), lines.map((l) => l.text), lines.map((l) => l.at.toISOString())]);
  };
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  const copy = async (lines: ReturnType<typeof mk>) => {
    const base = seq; seq += N;
    const client = await pool.connect();
    try {
      const body = lines.map((l, i) => `${runId}\t\\N\t${base + i + 1}\tstdout\t${esc(l.text)}\t${l.at.toISOString()}\n`).join("");
      await pipeline(Readable.from([body]), client.query(copyFrom(`COPY log_lines (run_id, step_run_id, seq, stream, text, created_at) FROM STDIN`)));
    } finally { client.release(); }
  };
  for (let round = 0; round < 3; round++) {
    for (const [name, f] of [["insert", insert], ["copy", copy]] as const) {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) { const lines = mk(); const t = performance.now(); await f(lines); times.push(performance.now() - t); }
      times.sort((a, b) => a - b);
      console.log(`${name} ${N}: median ${times[5]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms`);
    }
  }
  await pool.end();
} finally {
  await server.stop();
}
