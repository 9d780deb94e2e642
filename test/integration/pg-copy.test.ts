import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASET_EXTRA_TABLES, DATASET_TABLES, seedSourceDatabase, sqlName } from "@/sandbox/dataset";
import { memoryLogger } from "@/worker/engine/step-logger";
import { assertTargetEmpty, cleanTarget, copyDatabase, dumpArgs, restoreArgs, schemaDumpArgs, schemaRestoreArgs } from "@/worker/steps/postgres/copy";
import { verifyCopy } from "@/worker/steps/postgres/verify";
import { useHerokuDatabase, useRdsDatabase } from "../support/platform-databases";

// As on the real platforms: the source owned by a Heroku-like app role, the target by an RDS-like
// master user, neither a superuser; both passwords with every character a passfile must escape.
const source = useHerokuDatabase();
const target = useRdsDatabase();
let sourceUrl: string;
let targetUrl: string;
let workDir: string;

beforeAll(async () => {
  await seedSourceDatabase(source.url, { scaleMb: 3 });
  [sourceUrl, targetUrl] = [source.url, target.url];
  workDir = await mkdtemp(path.join(tmpdir(), "pg-copy-test-"));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

async function admin(url: string, sql: string) {
  const client = await connect(url);
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
const ALL_TABLES = [...DATASET_TABLES.map((name) => ({ schema: "public", name })), ...DATASET_EXTRA_TABLES];
const countsOf = async (url: string) =>
  Object.fromEntries(await Promise.all(ALL_TABLES.map(async (t) => [`${t.schema}.${t.name}`, Number((await admin(url, `SELECT count(*) FROM ${sqlName(t)}`)).rows[0].count)])));
const sequenceCount = async (url: string) => Number((await admin(url, "SELECT count(*) FROM pg_sequences WHERE schemaname <> 'heroku_ext'")).rows[0].count);

/** Runs `sql` in an open transaction and rolls it back after `ms`; `done` settles once it has. */
async function holdLock(url: string, sql: string, ms: number): Promise<{ done: Promise<void> }> {
  const client = await connect(url);
  await client.query(`BEGIN; ${sql}`);
  const done = new Promise<void>((r) => setTimeout(r, ms)).then(async () => {
    await client.query("ROLLBACK");
    await client.end();
  });
  return { done };
}

/** A logger that also records when each line came, to check the progress cadence. */
function timedLogger() {
  const log = memoryLogger();
  const times: Array<{ at: number; text: string }> = [];
  return { ...log, lines: log.lines, times, info: (text: string) => (times.push({ at: Date.now(), text }), log.info(text)) };
}
const noSecrets = (texts: string[]) => {
  for (const text of texts) {
    for (const password of [source.password, target.password]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
  }
};

describe("copyDatabase and verifyCopy", () => {
  it("copies the seeded source; verify finds exactly the same counts; nothing secret is logged", async () => {
    await assertTargetEmpty(targetUrl);
    const log = memoryLogger();
    const result = await copyDatabase({ sourceUrl, targetUrl, jobs: 2, workDir, log });
    expect(result).toMatchObject({ tables: ALL_TABLES.length });
    expect(result.bytes).toBeGreaterThan(1_000_000);
    expect(result.rows).toBe((Object.values(await countsOf(source.adminUrl)) as number[]).reduce((a, b) => a + b, 0));
    expect(await readdir(workDir)).toEqual([]);
    const texts = log.lines.map((l) => l.text);
    expect(texts).toContainEqual(
      expect.stringMatching(/^\$ pg_dump -Fc --section=pre-data --section=post-data --no-owner --no-privileges --snapshot=\S+ -f \S+ --dbname 'postgresql:\/\/sy_heroku_\w+:\*\*\*\*@127\.0\.0\.1:\d+\/switchyard_heroku_\w+'$/),
    );
    expect(texts).toContainEqual(expect.stringMatching(/^\$ pg_restore --section=pre-data -L \S+pre-data\.list -j 1 --no-owner --no-privileges --exit-on-error --dbname '.*:\*\*\*\*@.*' \S+$/));
    expect(texts).toContainEqual(expect.stringMatching(/^\$ pg_restore --section=post-data -j 2 /));
    expect(texts).toContainEqual(expect.stringMatching(/^copy: public\.orders done, [\d,]+ rows, [\d.]+ MB in/));
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^copy: finished ${ALL_TABLES.length} tables, [\\d,]+ rows, [\\d.]+ MB in`)));
    const sequences = await sequenceCount(source.adminUrl);
    expect(texts).toContainEqual(`copy: set ${sequences} sequence(s) to the source's values`);

    const verifyLog = memoryLogger();
    const verified = await verifyCopy({ sourceUrl, targetUrl, log: verifyLog });
    expect(verified.differences).toEqual([]);
    expect(verified.ok).toBe(true);
    const expected = await countsOf(source.adminUrl);
    expect(Object.fromEntries(verified.tables.map((t) => [t.table, t.source]))).toEqual(expected);
    expect(Object.fromEntries(verified.tables.map((t) => [t.table, t.target]))).toEqual(expected);
    expect(verified.sequences.length).toBe(sequences);
    expect(verifyLog.lines.at(-1)!.text).toMatch(new RegExp(`^verify: all ${ALL_TABLES.length} tables match`));
    const analyzed = await admin(target.url, "SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL");
    expect(analyzed.rows[0].n).toBe(ALL_TABLES.length);
    noSecrets([...texts, ...verifyLog.lines.map((l) => l.text)]);
  });

  it("builds pg_dump and pg_restore argv without the password", () => {
    const argv = [...dumpArgs(sourceUrl, "/tmp/d", 4), ...restoreArgs(targetUrl, "/tmp/d", 4), ...schemaDumpArgs(sourceUrl, "/tmp/a", "snap"), ...schemaRestoreArgs(targetUrl, "/tmp/a", "post-data", 4)];
    noSecrets(argv);
    expect(argv).toContain(`postgresql://${source.role}@127.0.0.1:${new URL(sourceUrl).port}/${source.name}`);
  });

  it("refuses a target that is not empty, and a restore error fails the copy naming the object", async () => {
    await cleanTarget(targetUrl, memoryLogger());
    await admin(target.url, "CREATE TABLE public.customers (x int)");
    const { port } = new URL(targetUrl);
    await expect(assertTargetEmpty(targetUrl)).rejects.toThrow(
      `the target database ${target.name} at 127.0.0.1:${port} is not empty (1 table); empty it or set the plan's overwrite option`,
    );
    const log = memoryLogger();
    const err = await copyDatabase({ sourceUrl, targetUrl, jobs: 2, workDir, log }).catch((e: Error) => e);
    expect(String(err)).toMatch(/pg_restore exited with code 1: .*relation "customers" already exists/);
    expect(await readdir(workDir)).toEqual([]);
    noSecrets([String(err), ...log.lines.map((l) => l.text)]);
  });

  it("cleanTarget empties the target and the copy runs again, logging progress at least every 3 s", async () => {
    await cleanTarget(targetUrl, memoryLogger());
    await assertTargetEmpty(targetUrl);
    // Hold the schema phase up: pg_dump waits for a table lock, pg_restore's first CREATE for the schema.
    const release = [await holdLock(source.url, "LOCK TABLE customers IN ACCESS EXCLUSIVE MODE", 4_500)];
    release.push(await holdLock(target.url, "DROP SCHEMA public CASCADE", 9_000));
    const log = timedLogger();
    await copyDatabase({ sourceUrl, targetUrl, jobs: 2, workDir, log });
    await Promise.all(release.map((r) => r.done));
    const lines = log.times.filter((l) => l.text.startsWith("copy: "));
    expect(lines.filter((l) => /^copy: (reading the schema|creating tables and types)… \d+ s$/.test(l.text)).length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.at - lines[i - 1]!.at, lines[i]!.text).toBeLessThan(3_000);
    expect((await verifyCopy({ sourceUrl, targetUrl, log: memoryLogger() })).ok).toBe(true);
  }, 30_000);

  it("verify reports a missing row and a sequence behind the source", async () => {
    await admin(target.url, "DELETE FROM worker_events WHERE id = (SELECT max(id) FROM worker_events); SELECT setval('orders_id_seq', 1)");
    const log = memoryLogger();
    const result = await verifyCopy({ sourceUrl, targetUrl, log });
    expect(result.ok).toBe(false);
    const events = result.tables.find((t) => t.table === "public.worker_events")!;
    expect(events.target).toBe(events.source! - 1);
    expect(result.differences).toEqual([
      `table public.worker_events: source has ${events.source} rows, target has ${events.target}`,
      expect.stringMatching(/^sequence public\.orders_id_seq: target would hand out 2 next, behind the source's \d+$/),
    ]);
    const texts = log.lines.map((l) => l.text);
    expect(texts).toContainEqual(expect.stringMatching(/^table\s+source rows\s+target rows$/));
    expect(texts).toContainEqual(expect.stringMatching(/^public\.worker_events\s+\d+\s+\d+$/));
  });
});
