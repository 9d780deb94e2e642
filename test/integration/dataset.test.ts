import type pg from "pg";
import { connect, withClient } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DATASET_EXTRA_TABLES, DATASET_FUNCTIONS, DATASET_MATVIEWS, DATASET_PARTITIONED, DATASET_STANDALONE_SEQUENCE, DATASET_TABLES, DATASET_VIEWS,
  PLATFORM_EXTENSIONS, seedSourceDatabase, sqlName, type SeedResult,
} from "@/sandbox/dataset";
import { useHerokuDatabase } from "../support/platform-databases";
import { useEmptyDatabase } from "../support/test-db";

const MB = 1024 * 1024;
// Seeded as Heroku's app credential would (no superuser); `larger` as a superuser standing in for the platform.
const small = useHerokuDatabase();
const larger = useEmptyDatabase();
const bare = useHerokuDatabase();
const ALL_TABLES = DATASET_TABLES.length + DATASET_EXTRA_TABLES.length;
let client: pg.Client;
let first: SeedResult;
const messages: string[] = [];

beforeAll(async () => {
  first = await seedSourceDatabase(small.url, { scaleMb: 2, onProgress: (m) => messages.push(m) });
  client = await connect(small.url);
});
afterAll(() => client?.end());

async function scalar<T = number>(sql: string, params: unknown[] = []): Promise<T> {
  const result = await client.query(sql, params);
  return Object.values(result.rows[0] as object)[0] as T;
}

/** The SQLSTATE a statement fails with (undefined if it succeeds); its effects are rolled back. */
async function errorCodeOf(sql: string): Promise<string | undefined> {
  await client.query("BEGIN");
  try {
    await client.query(sql);
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  } finally {
    await client.query("ROLLBACK");
  }
}

describe("seedSourceDatabase", () => {
  it("creates every table, view and function, and reports progress", async () => {
    expect(first.tables).toBe(ALL_TABLES);
    const tables = await client.query("SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'billing')");
    const expected = [...DATASET_TABLES.map((t) => `public.${t}`), ...DATASET_EXTRA_TABLES.map((t) => `${t.schema}.${t.name}`), ...DATASET_PARTITIONED.map((t) => `${t.schema}.${t.name}`)];
    expect(tables.rows.map((r) => r.t).sort()).toEqual(expected.sort());
    for (const view of DATASET_VIEWS) expect(await scalar(`SELECT to_regclass($1) IS NOT NULL`, [view])).toBe(true);
    for (const fn of DATASET_FUNCTIONS) expect(await scalar(`SELECT count(*)::int FROM pg_proc WHERE proname = $1`, [fn])).toBe(1);
    expect(messages.some((m) => m.startsWith("seeding about 2 MB"))).toBe(true);
  });

  it("fills every table", async () => {
    for (const table of DATASET_TABLES) expect(await scalar(`SELECT count(*)::int FROM ${table}`), table).toBeGreaterThan(0);
    for (const t of DATASET_EXTRA_TABLES) expect(await scalar(`SELECT count(*)::int FROM ${sqlName(t)}`), t.name).toBeGreaterThan(0);
  });

  it("carries the typed objects real apps have, owned by the app's role, the extensions by the platform", async () => {
    const owner = await scalar<string>("SELECT tableowner FROM pg_tables WHERE tablename = 'shipments'");
    expect(owner).toBe(small.role);
    const extensions = await client.query("SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'");
    expect(extensions.rows.map((r) => `${r.nspname}.${r.extname}`).sort()).toEqual(PLATFORM_EXTENSIONS.map((e) => `heroku_ext.${e}`).sort());
    const kinds = await client.query("SELECT t.typtype, count(*)::int AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname IN ('public', 'billing') AND t.typtype IN ('e', 'd') GROUP BY 1");
    expect(Object.fromEntries(kinds.rows.map((r) => [r.typtype, r.n]))).toEqual({ e: 2, d: 2 });
    expect(await scalar("SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'events'::regclass")).toBe(3);
    for (const m of DATASET_MATVIEWS) expect(await scalar(`SELECT count(*)::int FROM ${sqlName(m)}`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT last_value::int FROM ${sqlName(DATASET_STANDALONE_SEQUENCE)}`)).toBeGreaterThan(100_000);
    expect(await scalar("SELECT count(*)::int FROM pg_index WHERE indrelid = 'audit_trail'::regclass AND indisprimary")).toBe(0);
    expect(await scalar("SELECT max(octet_length(blob))::int FROM attachments")).toBeGreaterThanOrEqual(256 * 1024);
    expect(await scalar("SELECT count(*)::int FROM shipments WHERE weight_kg IS DISTINCT FROM round(weight_grams / 1000, 3)")).toBe(0);
    expect(await scalar("SELECT count(*)::int FROM billing.open_invoices")).toBeGreaterThan(0);
    expect(await scalar(`SELECT obj_description('"LegacyImport"'::regclass, 'pg_class')`)).toMatch(/imported from the old system/);
  });

  it("as the app's role, says what is missing when the platform has not made the extensions", async () => {
    await withClient(bare.adminUrl, (c) => c.query("DROP EXTENSION hstore"));
    await expect(seedSourceDatabase(bare.url, { scaleMb: 1 })).rejects.toThrow(/needs extension\(s\) hstore in schema heroku_ext, which the platform creates on Heroku/);
  });

  it("has valid foreign keys and no orphans", async () => {
    const fks = await client.query("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f'");
    expect(fks.rows.length).toBeGreaterThanOrEqual(4);
    expect(fks.rows.every((r) => r.convalidated)).toBe(true);
    expect(await scalar("SELECT count(*)::int FROM order_items i LEFT JOIN orders o ON o.id = i.order_id WHERE o.id IS NULL")).toBe(0);
    expect(await errorCodeOf("INSERT INTO orders (customer_id, status) VALUES (999999999, 'paid')")).toBe("23503");
  });

  it("enforces its CHECK and UNIQUE constraints", async () => {
    expect(await errorCodeOf("UPDATE order_items SET quantity = 0 WHERE id = 1")).toBe("23514");
    expect(await errorCodeOf("INSERT INTO customers (email, name, country) VALUES ('CUSTOMER1@example.com', 'x', 'US')")).toBe("23505");
  });

  it("leaves sequences past the loaded ids, so new rows insert cleanly", async () => {
    await client.query("BEGIN");
    try {
      const customer = await scalar<string>("INSERT INTO customers (email, name, country) VALUES ('new@example.org', 'New', 'NL') RETURNING id");
      const product = await scalar<number>("INSERT INTO products (sku, name, price_cents) VALUES ('NEW-1', 'New', 100) RETURNING id");
      const order = await scalar<string>("INSERT INTO orders (customer_id, status) VALUES ($1, 'pending') RETURNING id", [customer]);
      await client.query("INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, 2, 100)", [order, product]);
      expect(await scalar("SELECT order_total($1)::int", [order])).toBe(200);
    } finally {
      await client.query("ROLLBACK");
    }
  });

  it("agrees between the order_totals view and the order_total function", async () => {
    const rows = await client.query("SELECT order_id, total_cents, order_total(order_id) AS fn FROM order_totals ORDER BY order_id LIMIT 20");
    expect(rows.rows.length).toBe(20);
    for (const r of rows.rows) expect(r.fn).toBe(r.total_cents);
    expect(await scalar("SELECT customer_order_count(1)")).toBeGreaterThanOrEqual(0);
  });

  it("stores real PNG and SVG images", async () => {
    const images = await client.query<{ content_type: string; data: Buffer }>("SELECT content_type, data FROM images");
    for (const image of images.rows) {
      if (image.content_type === "image/png") expect(image.data.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
      else expect(image.data.toString("utf8")).toMatch(/^<svg /);
    }
    expect(images.rows.filter((i) => i.content_type === "image/png").length).toBeGreaterThan(4);
  });

  it("is idempotent: a second call changes nothing", async () => {
    const before = await scalar("SELECT count(*)::int FROM order_items");
    const progress: string[] = [];
    const again = await seedSourceDatabase(small.url, { scaleMb: 2, onProgress: (m) => progress.push(m) });
    expect(again.tables).toBe(first.tables);
    expect(await scalar("SELECT count(*)::int FROM order_items")).toBe(before);
    expect(progress).toEqual(["dataset already seeded, nothing to do"]);
  });

  it("roughly tracks the requested size", async () => {
    expect(first.bytes).toBeGreaterThan(1 * MB);
    expect(first.bytes).toBeLessThan(4 * MB);
    // Two seeders at once: the advisory lock makes the second one find the work done.
    const [a, b] = await Promise.all([
      seedSourceDatabase(larger.url, { scaleMb: 8 }),
      seedSourceDatabase(larger.url, { scaleMb: 8 }),
    ]);
    expect(a.tables).toBe(ALL_TABLES);
    expect(Math.abs(a.bytes - b.bytes)).toBeLessThan(MB);
    expect(a.bytes).toBeGreaterThan(5 * MB);
    expect(a.bytes).toBeLessThan(12 * MB);
    expect(a.bytes / first.bytes).toBeGreaterThan(2);
  });

  it("starts over when an earlier seed stopped half-way", async () => {
    const other = await connect(larger.url);
    try {
      await other.query("UPDATE sandbox_meta SET value = 'seeding' WHERE key = 'status'");
      await other.query("DELETE FROM order_items WHERE id > 10");
      const progress: string[] = [];
      await seedSourceDatabase(larger.url, { scaleMb: 8, onProgress: (m) => progress.push(m) });
      expect(progress).toContain("removing an unfinished earlier seed");
      expect((await other.query("SELECT value FROM sandbox_meta WHERE key = 'status'")).rows[0].value).toBe("ready");
      expect((await other.query("SELECT count(*)::int AS n FROM order_items")).rows[0].n).toBeGreaterThan(1000);
    } finally {
      await other.end();
    }
  });
});
