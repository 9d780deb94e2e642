import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSourceDatabase } from "@/sandbox/dataset";
import { memoryLogger } from "@/worker/engine/step-logger";
import { holdSourceSnapshot } from "@/worker/steps/db/source-snapshot";
import { cleanTarget, copyDatabase } from "@/worker/steps/postgres/copy";
import { verifyCopy } from "@/worker/steps/postgres/verify";
import { useEmptyDatabase } from "../support/test-db";

// The streaming engine against a schema with the objects real apps have, big tables cut into
// ranges, a source that takes writes during the copy, failures in each phase, a cancellation in
// the middle of the data phase, and the large-object refusal.
const source = useEmptyDatabase();
const target = useEmptyDatabase();
const bigSource = useEmptyDatabase();
const badSource = useEmptyDatabase();
let workDir: string;

async function sql(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
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
                         score int CHECK (score >= 0), doubled int GENERATED ALWAYS AS (double_it(score)) STORED, moods mood[] DEFAULT '{calm,busy}');
  CREATE TABLE posts (id bigserial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts(id), body text, created_at timestamptz DEFAULT now());
  CREATE INDEX posts_account_idx ON posts (account_id, created_at DESC);
  COMMENT ON INDEX posts_account_idx IS 'by author';
  ALTER TABLE posts CLUSTER ON posts_account_idx;
  ALTER TABLE posts ADD CONSTRAINT body_short CHECK (length(body) < 10000) NOT VALID;
  CREATE TRIGGER posts_no_noop BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
  CREATE TABLE measurements (at date NOT NULL, value numeric NOT NULL, PRIMARY KEY (at, value)) PARTITION BY RANGE (at);
  CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  CREATE INDEX measurements_value_idx ON measurements (value);
  CREATE TABLE events (id int PRIMARY KEY, at timestamptz NOT NULL);
  CREATE TABLE page_events (path text NOT NULL) INHERITS (events);
  CREATE TABLE no_columns ();
  CREATE SEQUENCE unused_seq;
  CREATE VIEW busy_accounts AS SELECT id, email FROM accounts WHERE mood = 'busy';
  CREATE MATERIALIZED VIEW post_counts AS SELECT account_id, count(*) AS n FROM posts GROUP BY account_id;
  CREATE UNIQUE INDEX post_counts_account_idx ON post_counts (account_id);
  INSERT INTO accounts (email, mood, score) SELECT 'user' || g || '@example.com', (CASE WHEN g % 3 = 0 THEN 'busy' ELSE 'calm' END)::mood, g FROM generate_series(1, 500) g;
  INSERT INTO posts (account_id, body) SELECT 1 + g % 500, repeat('text ', g % 20) FROM generate_series(1, 5000) g;
  INSERT INTO measurements SELECT date '2026-01-01' + (g % 300), g FROM generate_series(1, 1000) g;
  INSERT INTO events SELECT g, now() FROM generate_series(1, 10) g;
  INSERT INTO page_events SELECT g, now(), '/p' || g FROM generate_series(11, 30) g;
  INSERT INTO no_columns SELECT FROM generate_series(1, 3);
  REFRESH MATERIALIZED VIEW post_counts;
  ANALYZE;`;

beforeAll(async () => {
  await sql(source.url, RICH_SCHEMA);
  workDir = await mkdtemp(path.join(tmpdir(), "pg-stream-copy-test-"));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

async function holdLock(url: string, table: string, ms: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  await new Promise((r) => setTimeout(r, ms));
  await client.query("ROLLBACK");
  await client.end();
}

const sessionsOf = async (url: string) =>
  Number((await sql(url, "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'switchyard%' AND pid <> pg_backend_pid()")).rows[0].n);
const texts = (log: ReturnType<typeof memoryLogger>) => log.lines.map((l) => l.text);

describe("the streaming copy", () => {
  it("carries enums, functions, identity and generated columns, FKs, indexes, partitions, inheritance, views and sequences, a big table in ranges", async () => {
    const log = memoryLogger();
    // Ranges of 64 kB: posts (about 400 kB) is cut into several COPY streams.
    const result = await copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 3, workDir, log, minPieceBytes: 64 * 1024 });
    expect(result.tables).toBe(6); // accounts, posts, measurements_2026, events, page_events, no_columns (the partitioned parent holds no rows)
    expect(result.rows).toBe(500 + 5000 + 1000 + 10 + 20 + 3);
    expect(texts(log)).toContainEqual(expect.stringMatching(/^copy: 6 tables in \d+ COPY streams \(big tables cut into ranges\) on 3 lanes; 7 indexes and keys and 1 foreign key built as soon as their tables are in$/));
    const verified = await verifyCopy({ sourceUrl: source.url, targetUrl: target.url, log: memoryLogger() });
    expect(verified.differences).toEqual([]);
    const t = (q: string) => sql(target.url, q).then((r) => r.rows);
    expect(await t("SELECT count(*)::int AS n FROM busy_accounts")).toEqual([{ n: 166 }]);
    expect(await t("SELECT sum(n)::int AS n FROM post_counts")).toEqual([{ n: 5000 }]);
    expect(await t("SELECT doubled, moods::text FROM accounts WHERE score = 21")).toEqual([{ doubled: 42, moods: "{calm,busy}" }]);
    expect(await t("SELECT count(*)::int AS n FROM no_columns")).toEqual([{ n: 3 }]);
    expect(await t("SELECT (SELECT count(*) FROM events)::int AS with_children, (SELECT count(*) FROM ONLY events)::int AS own")).toEqual([{ with_children: 30, own: 10 }]);
    // The next ids continue after the source's, and the FK and CHECK hold on the target.
    await sql(target.url, "INSERT INTO accounts (email, score) VALUES ('new@example.com', 1)");
    expect(await t("SELECT max(id)::int AS id FROM accounts")).toEqual([{ id: 501 }]);
    await expect(sql(target.url, "INSERT INTO posts (account_id) VALUES (99999)")).rejects.toThrow(/foreign key/);
    await expect(sql(target.url, "INSERT INTO accounts (email, score) VALUES ('neg@example.com', -1)")).rejects.toThrow(/check constraint/);
    expect(await t("SELECT indexname FROM pg_indexes WHERE tablename = 'posts' ORDER BY 1")).toEqual([{ indexname: "posts_account_idx" }, { indexname: "posts_pkey" }]);
    expect(await t("SELECT obj_description('posts_account_idx'::regclass) AS c, (SELECT indisclustered FROM pg_index WHERE indexrelid = 'posts_account_idx'::regclass) AS clustered")).toEqual([
      { c: "by author", clustered: true },
    ]);
    expect(await t("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent IN ('measurements_pkey'::regclass, 'measurements_value_idx'::regclass)")).toEqual([{ n: 2 }]);
    expect(await t("SELECT tgname FROM pg_trigger WHERE tgrelid = 'posts'::regclass AND NOT tgisinternal")).toEqual([{ tgname: "posts_no_noop" }]);
    expect(await t("SELECT convalidated FROM pg_constraint WHERE conname = 'body_short'")).toEqual([{ convalidated: false }]);
    expect(await t("SELECT last_value::int, is_called FROM unused_seq")).toEqual([{ last_value: 1, is_called: false }]);
    // Statistics for every table, the partitioned parent, the inheritance parent and the materialized view; none for nothing.
    const analyzed = await t("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL AND relname <> 'no_columns' ORDER BY 1");
    expect(analyzed).toEqual([]);
    expect(await t("SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'measurements'")).toEqual([{ n: 2 }]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it("copies one snapshot of a source that keeps taking writes", async () => {
    await cleanTarget(target.url, memoryLogger());
    const snapshot = await holdSourceSnapshot(source.url);
    try {
      await sql(source.url, "INSERT INTO posts (account_id, body) SELECT 1, 'later' FROM generate_series(1, 50); DELETE FROM measurements WHERE value < 10");
      const result = await copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 2, workDir, log: memoryLogger(), snapshot: snapshot.id, minPieceBytes: 64 * 1024 });
      expect(result.rows).toBe(500 + 5000 + 1000 + 10 + 20 + 3);
      const verified = await verifyCopy({ sourceUrl: source.url, targetUrl: target.url, log: memoryLogger(), sourceSnapshot: snapshot.id });
      expect(verified.differences).toEqual([]);
    } finally {
      await snapshot.release();
      await sql(source.url, "DELETE FROM posts WHERE body = 'later'; INSERT INTO measurements SELECT date '2026-01-01' + g, g FROM generate_series(1, 9) g");
    }
  });

  it("a row the target refuses fails the copy naming the table and the server's message, and stops the other lanes", async () => {
    await cleanTarget(target.url, memoryLogger());
    const bad = badSource.url;
    // A CHECK that looks another table up: the rows of the bigger table arrive before the table it consults.
    await sql(bad, `
      CREATE TABLE codes (code text PRIMARY KEY);
      CREATE FUNCTION known_code(c text) RETURNS boolean LANGUAGE sql STABLE AS 'SELECT EXISTS (SELECT 1 FROM public.codes WHERE code = c)';
      CREATE TABLE items (id int PRIMARY KEY, code text CHECK (known_code(code)), filler text);
      INSERT INTO codes VALUES ('a');
      INSERT INTO items SELECT g, 'a', repeat('x', 200) FROM generate_series(1, 2000) g;
      ANALYZE;`);
    const log = memoryLogger();
    const err = await copyDatabase({ sourceUrl: bad, targetUrl: target.url, jobs: 1, workDir, log }).catch((e: Error) => e);
    expect(String(err)).toMatch(/copying the rows of public\.items failed: new row for relation "items" violates check constraint "items_code_check"/);
    await expect.poll(() => sessionsOf(target.url), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => sessionsOf(bad), { timeout: 10_000 }).toBe(0);
    expect(await readdir(workDir)).toEqual([]);
  });

  it("an index that cannot be built fails the copy naming the index, its table and the server's message", async () => {
    await cleanTarget(target.url, memoryLogger());
    // Something on the target already holds the name of one of the source's indexes.
    await sql(target.url, "CREATE TABLE public.posts_account_idx (x int)");
    const err = await copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 2, workDir, log: memoryLogger() }).catch((e: Error) => e);
    expect(String(err)).toMatch(/building index public\.posts_account_idx on public\.posts failed: relation "posts_account_idx" already exists/);
    await expect.poll(() => sessionsOf(target.url), { timeout: 10_000 }).toBe(0);
  });

  it("logs progress once a second, a line per table, and the indexes built per table", async () => {
    const big = bigSource.url;
    await seedSourceDatabase(big, { scaleMb: 30 });
    await cleanTarget(target.url, memoryLogger());
    // The smallest table, copied last, is locked for a while once the schema is read: rows keep streaming meanwhile.
    let held: Promise<void> | null = null;
    const base = memoryLogger();
    const log = { ...base, command: (line: string) => (line.startsWith("pg_restore --section=pre-data") && (held ??= holdLock(big, "sandbox_meta", 2_500)), base.command(line)) };
    await copyDatabase({ sourceUrl: big, targetUrl: target.url, jobs: 2, workDir, log, minPieceBytes: 1024 * 1024 });
    await held;
    const lines = texts(base);
    expect(lines).toContainEqual(expect.stringMatching(/^copy: [1-8]\/9 tables, [\d,]+ rows, [\d.]+ of ~[\d.]+ MB, [\d.]+ MB\/s, (about \d+ s left|time left unknown)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^copy: public\.documents done, [\d,]+ rows, [\d.]+ MB in [\d.]+ s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^copy: public\.orders: 3 indexes and keys built in [\d.]+ s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^copy: finished 9 tables, [\d,]+ rows, [\d.]+ MB in [\d.]+ s \([\d.]+ MB\/s\)$/));
    expect(lines.filter((l) => / done, /.test(l))).toHaveLength(9);
    expect((await verifyCopy({ sourceUrl: big, targetUrl: target.url, log: memoryLogger() })).differences).toEqual([]);
  }, 60_000);

  it("a cancellation in the middle of the data phase stops every stream and leaves no session behind", async () => {
    const big = bigSource.url;
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
