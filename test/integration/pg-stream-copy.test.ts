import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSourceDatabase } from "@/sandbox/dataset";
import { memoryLogger } from "@/worker/engine/step-logger";
import { cleanTarget, copyDatabase } from "@/worker/steps/postgres/copy";
import { verifyCopy } from "@/worker/steps/postgres/verify";
import { useHerokuDatabase, useRdsDatabase } from "../support/platform-databases";

// The streaming engine against a schema with the objects real apps have, a cancellation in the
// middle of the data phase, and the large-object refusal.
// As the platforms hand them out: Heroku's app role owns the sources, an RDS-like master user the target.
const source = useHerokuDatabase();
const target = useRdsDatabase();
const bigSource = useHerokuDatabase();
let workDir: string;

async function sql(url: string, text: string, params: unknown[] = []) {
  const client = await connect(url);
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

const RICH_SCHEMA = `
  CREATE TYPE mood AS ENUM ('calm', 'busy');
  CREATE FUNCTION double_it(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
  CREATE TABLE accounts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE NOT NULL, mood mood NOT NULL DEFAULT 'calm',
                         score int CHECK (score >= 0), doubled int GENERATED ALWAYS AS (double_it(score)) STORED);
  CREATE TABLE posts (id bigserial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts(id), body text, created_at timestamptz DEFAULT now());
  CREATE INDEX posts_account_idx ON posts (account_id, created_at DESC);
  CREATE TABLE measurements (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
  CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  CREATE TABLE no_columns ();
  CREATE SEQUENCE unused_seq;
  CREATE VIEW busy_accounts AS SELECT id, email FROM accounts WHERE mood = 'busy';
  CREATE MATERIALIZED VIEW post_counts AS SELECT account_id, count(*) AS n FROM posts GROUP BY account_id;
  INSERT INTO accounts (email, mood, score) SELECT 'user' || g || '@example.com', (CASE WHEN g % 3 = 0 THEN 'busy' ELSE 'calm' END)::mood, g FROM generate_series(1, 500) g;
  INSERT INTO posts (account_id, body) SELECT 1 + g % 500, repeat('text ', g % 20) FROM generate_series(1, 5000) g;
  INSERT INTO measurements SELECT date '2026-01-01' + (g % 300), g FROM generate_series(1, 1000) g;
  INSERT INTO no_columns SELECT FROM generate_series(1, 3);
  REFRESH MATERIALIZED VIEW post_counts;`;

beforeAll(async () => {
  await sql(source.url, RICH_SCHEMA);
  workDir = await mkdtemp(path.join(tmpdir(), "pg-stream-copy-test-"));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const sessionsOf = async (url: string) =>
  Number((await sql(url, "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'switchyard%' AND pid <> pg_backend_pid()")).rows[0].n);

describe("the streaming copy", () => {
  it("carries enums, functions, identity and generated columns, FKs, indexes, partitions, views and sequences", async () => {
    const log = memoryLogger();
    const result = await copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 3, workDir, log });
    expect(result.tables).toBe(4); // accounts, posts, measurements_2026, no_columns (the partitioned parent holds no rows)
    expect(result.rows).toBe(500 + 5000 + 1000 + 3);
    const verified = await verifyCopy({ sourceUrl: source.url, targetUrl: target.url, log: memoryLogger() });
    expect(verified.differences).toEqual([]);
    const t = (q: string) => sql(target.url, q).then((r) => r.rows);
    expect(await t("SELECT count(*)::int AS n FROM busy_accounts")).toEqual([{ n: 166 }]);
    expect(await t("SELECT sum(n)::int AS n FROM post_counts")).toEqual([{ n: 5000 }]);
    expect(await t("SELECT doubled FROM accounts WHERE score = 21")).toEqual([{ doubled: 42 }]);
    expect(await t("SELECT count(*)::int AS n FROM no_columns")).toEqual([{ n: 3 }]);
    // The next ids continue after the source's, and the FK and CHECK hold on the target.
    await sql(target.url, "INSERT INTO accounts (email, score) VALUES ('new@example.com', 1)");
    expect(await t("SELECT max(id)::int AS id FROM accounts")).toEqual([{ id: 501 }]);
    await expect(sql(target.url, "INSERT INTO posts (account_id) VALUES (99999)")).rejects.toThrow(/foreign key/);
    await expect(sql(target.url, "INSERT INTO accounts (email, score) VALUES ('neg@example.com', -1)")).rejects.toThrow(/check constraint/);
    expect(await t("SELECT indexname FROM pg_indexes WHERE tablename = 'posts' ORDER BY 1")).toEqual([{ indexname: "posts_account_idx" }, { indexname: "posts_pkey" }]);
    expect(await t("SELECT last_value::int, is_called FROM unused_seq")).toEqual([{ last_value: 1, is_called: false }]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it("a cancellation in the middle of the data phase stops every stream and leaves no session behind", async () => {
    const big = bigSource.url;
    await seedSourceDatabase(big, { scaleMb: 30 });
    await cleanTarget(target.url, memoryLogger());
    const abort = new AbortController();
    const base = memoryLogger();
    const log = { ...base, info: (text: string) => (text.includes(" done, ") && abort.abort(), base.info(text)) };
    const err = await copyDatabase({ sourceUrl: big, targetUrl: target.url, jobs: 2, workDir, log, signal: abort.signal }).catch((e: Error) => e);
    expect(String(err)).toMatch(/cancelled/);
    await expect.poll(() => sessionsOf(target.url), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => sessionsOf(big), { timeout: 10_000 }).toBe(0);
    expect(await readdir(workDir)).toEqual([]);
  });

  it("refuses a source with large objects, saying what to do", async () => {
    await sql(source.url, "SELECT lo_from_bytea(0, 'hello'::bytea)");
    await cleanTarget(target.url, memoryLogger());
    const err = await copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 2, workDir, log: memoryLogger() }).catch((e: Error) => e);
    expect(String(err)).toMatch(/holds 1 large object\(s\) .* move them into bytea columns first/);
    await sql(source.url, "SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
  });
});
