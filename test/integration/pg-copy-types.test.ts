import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "@/lib/pg/connect";
import { seedSourceDatabase } from "@/sandbox/dataset";
import { memoryLogger } from "@/worker/engine/step-logger";
import { listTables } from "@/lib/pg/catalog";
import { copyDatabase } from "@/worker/steps/postgres/copy";
import { createTargetExtensions, describeBlocking, planTargetExtensions } from "@/worker/steps/postgres/extensions";
import { listCopyTables } from "@/worker/steps/postgres/table-copy";
import { verifyCopy } from "@/worker/steps/postgres/verify";
import { valueDifferences } from "../support/compare-values";
import { useHerokuDatabase, useRdsDatabase } from "../support/platform-databases";

// The extended dataset (enums, composites, domains, extension types, partitions, matviews…) from a
// Heroku-like app role to an RDS-like master user, compared value by value, not only counted.
const source = useHerokuDatabase();
const target = useRdsDatabase();
let workDir: string;
const log = memoryLogger();

beforeAll(async () => {
  await seedSourceDatabase(source.url, { scaleMb: 2 });
  // Settings a role may carry that would corrupt a text COPY read or written with them.
  await withClient(source.adminUrl, (c) => c.query(`ALTER ROLE "${source.role}" SET extra_float_digits = 0; ALTER ROLE "${source.role}" SET DateStyle = 'SQL, DMY'`));
  await withClient(target.adminUrl, (c) => c.query(`ALTER ROLE "${target.role}" SET DateStyle = 'SQL, MDY'; ALTER ROLE "${target.role}" SET IntervalStyle = 'sql_standard'`));
  workDir = await mkdtemp(path.join(tmpdir(), "pg-copy-types-"));
  await copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 3, workDir, log });
}, 120_000);
afterAll(() => rm(workDir, { recursive: true, force: true }));

const texts = () => log.lines.map((l) => l.text);

describe("copying real apps' types between platforms' credentials", () => {
  it("leaves every value equal: tables, leaf partitions, materialized views, sequences and comments", async () => {
    expect(await valueDifferences(source.adminUrl, target.adminUrl)).toEqual([]);
    expect((await verifyCopy({ sourceUrl: source.url, targetUrl: target.url, log: memoryLogger() })).differences).toEqual([]);
  });

  it("picks the format per table: text where user-defined types or arrays of them are, saying why; binary elsewhere", async () => {
    const tables = await withClient(source.url, async (c) => listCopyTables(c, await listTables(c)));
    const byName = Object.fromEntries(tables.map((t) => [`${t.schema}.${t.name}`, t]));
    expect(byName["public.shipments"]!.textReason).toMatch(/^column channel: enum public\.order_channel, and \d+ more columns$/);
    expect(byName["billing.payments"]!.textReason).toBe("column method: enum billing.payment_method");
    expect(byName["public.customers"]!.binary).toBe(true);
    expect(byName["billing.invoices"]!.binary).toBe(true); // a domain over bigint is a bigint on the wire
    expect(byName["public.LegacyImport"]!.binary).toBe(true);
    expect(Object.keys(byName)).not.toContain("public.events"); // the partitioned parent; its leaves carry the rows
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(["public.events_2024", "public.events_2025", "public.events_default"]));
    expect(texts()).toContainEqual(expect.stringMatching(/^copy: text format for public\.shipments \(column channel: enum public\.order_channel/));
    expect(texts().filter((t) => t.startsWith("copy: text format for public.customers"))).toEqual([]);
  });

  it("creates the extensions the target's user may, and says which it left out", async () => {
    expect(texts()).toEqual(expect.arrayContaining(["copy: created extension citext in schema heroku_ext on the target", "copy: created extension hstore in schema heroku_ext on the target"]));
    expect(texts()).toContainEqual(expect.stringMatching(/^warning: copy: extension pg_stat_statements was not created on the target \(nothing on the source uses it;/));
  });

  it("leaves the target working as the app expects: identity, generated columns, partition routing, domains, the matview refresh", async () => {
    await withClient(target.url, async (c) => {
      const { rows } = await c.query(
        `INSERT INTO shipments (order_id, channel, ship_to, weight_grams) VALUES (1, 'kiosk', ROW('1 Main St', 'Crewe', 'CW1', 'GB'), 2500) RETURNING id, weight_kg::text`,
      );
      expect(rows[0].weight_kg).toBe("2.500");
      await c.query("INSERT INTO events (occurred_at, kind) VALUES ('2024-06-01', 'viewed')");
      await expect(c.query("INSERT INTO billing.payments (invoice_id, method, amount, paid_at) VALUES (1, 'card', -1, now())")).rejects.toThrow(/money_cents_not_negative/);
      await c.query("REFRESH MATERIALIZED VIEW CONCURRENTLY daily_revenue");
      // As an app whose search_path names heroku_ext, so citext's operators are found unqualified.
      await c.query("SET search_path = public, heroku_ext");
      expect((await c.query("SELECT 'A@B.COM'::email_address = 'a@b.com' AS same")).rows[0].same).toBe(true);
    });
  });
});

describe("an extension the target's user may not create", () => {
  const usedSource = useHerokuDatabase();
  const emptyTarget = useRdsDatabase();

  it("stops the copy before it starts when the source uses it, naming it and what to do", async () => {
    // A view over pg_stat_statements (untrusted: on RDS only rds_superuser may create it).
    await withClient(usedSource.url, (c) => c.query("CREATE VIEW slow_queries AS SELECT query, calls FROM heroku_ext.pg_stat_statements"));
    const plan = await planTargetExtensions(usedSource.url, emptyTarget.url);
    expect(plan.blocking.map((e) => e.name)).toEqual(["pg_stat_statements"]);
    expect(plan.create.map((e) => e.name).sort()).toEqual(["citext", "hstore", "pgcrypto"]);
    expect(describeBlocking(plan)).toMatch(/^pg_stat_statements \(used by 1 object\(s\) on the source\): permission denied to create extension "pg_stat_statements"/);
    // Planning tried each CREATE in a transaction it rolled back: the target is as it was.
    expect((await withClient(emptyTarget.url, (c) => c.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname <> 'plpgsql'"))).rows[0].n).toBe(0);
    await expect(createTargetExtensions(usedSource.url, emptyTarget.url, memoryLogger())).rejects.toThrow(
      /cannot create extension\(s\) the source uses: pg_stat_statements .*have an administrator create them on the target first/,
    );
  });
});
