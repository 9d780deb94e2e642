import { beforeAll, describe, expect, it } from "vitest";
import { withClient } from "@/lib/pg/connect";
import { memoryLogger } from "@/worker/engine/step-logger";
import { sqlStep } from "@/worker/steps/db/sql-step";
import { PermanentStepError } from "@/worker/steps/step-error";
import type { StepContext } from "@/worker/steps/types";
import { useRdsDatabase } from "../support/platform-databases";

// The SQL kind on an RDS-like target as its owner role (no superuser), as the app would connect.
const target = useRdsDatabase();

function contextFor(url: string, signal = new AbortController().signal) {
  const log = memoryLogger();
  const ctx = { secrets: { platformToken: "", targetUrl: url }, log, signal } as unknown as StepContext;
  return { ctx, log };
}
const run = (sql: string, runTwice: boolean, signal?: AbortSignal) => sqlStep.run(contextFor(target.url, signal).ctx, sqlStep.spec.params.parse({ sql, runTwice }));
const query = (sql: string) => withClient(target.url, (c) => c.query(sql));

beforeAll(async () => {
  await query("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, 100), (2, 50)");
});

describe("the database.sql step", () => {
  it("runs idempotent SQL twice and proves the second run changed nothing", async () => {
    const sql = `CREATE TABLE IF NOT EXISTS flags (name text PRIMARY KEY, enabled boolean NOT NULL DEFAULT false);
      INSERT INTO flags (name) VALUES ('new_checkout') ON CONFLICT DO NOTHING;
      CREATE INDEX IF NOT EXISTS accounts_balance ON accounts (balance);`;
    const outcome = await run(sql, true);
    expect(outcome.output).toMatchObject({ provenIdempotent: true });
    expect((await query("SELECT count(*)::int AS n FROM flags")).rows[0].n).toBe(1);
  });

  it("fails SQL whose second run changes rows, naming the table and the counts", async () => {
    const err = await run("INSERT INTO accounts SELECT max(id) + 1, 0 FROM accounts", true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentStepError);
    expect((err as Error).message).toMatch(/not idempotent[\s\S]*public\.accounts: 3 → 4 rows/);
    expect((await query("SELECT count(*)::int AS n FROM accounts")).rows[0].n, "the second run is rolled back").toBe(3);
  });

  it("fails SQL whose second run changes the schema", async () => {
    const err = await run("DO $$ BEGIN EXECUTE format('CREATE TABLE audit_%s (id int)', (SELECT count(*) FROM pg_class)); END $$", true).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/not idempotent[\s\S]*the schema changed/);
  });

  it("rolls a failing SQL back as a whole and says which statement failed", async () => {
    const err = await run("UPDATE accounts SET balance = balance + 1; SELECT 1 / 0", false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentStepError);
    expect((err as Error).message).toMatch(/failed and was rolled back: division by zero/);
    expect((await query("SELECT balance FROM accounts WHERE id = 1")).rows[0].balance).toBe(100);
  });

  it("refuses SQL that commits on its own, which would break the one-transaction promise", async () => {
    const err = await run("UPDATE accounts SET balance = balance WHERE id = 1; COMMIT; SELECT 1", false).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/ends its transaction itself/);
  });

  it("runs with the target URL's role, not a superuser", async () => {
    const err = await run("CREATE ROLE sql_step_escalation SUPERUSER", false).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/permission denied|must be superuser/);
  });

  it("stops at once on cancel, leaving nothing of the transaction behind", async () => {
    const stop = new AbortController();
    const running = run("UPDATE accounts SET balance = 0; SELECT pg_sleep(30)", false, stop.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 500));
    stop.abort();
    expect(await running).toBeInstanceOf(Error);
    expect((await query("SELECT balance FROM accounts WHERE id = 1")).rows[0].balance).toBe(100);
  });

  it("refuses to repeat SQL of unknown outcome after a crash, unless it is proven idempotent", async () => {
    const { ctx } = contextFor(target.url);
    await expect(sqlStep.resume!(ctx, sqlStep.spec.params.parse({ sql: "SELECT 1", runTwice: false }))).rejects.toThrow(/may or may not have committed/);
    await expect(sqlStep.resume!(ctx, sqlStep.spec.params.parse({ sql: "SELECT 1", runTwice: true }))).resolves.toBeUndefined();
  });
});
