import type pg from "pg";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { readSchemaTables } from "../support/prisma-schema";
import { useEmptyDatabase } from "../support/test-db";

const empty = useEmptyDatabase();
let client: pg.Client;

beforeAll(async () => {
  client = await connect(empty.url);
});
afterAll(() => client.end());

/** Everything a migration could change, as comparable text. */
async function snapshot(): Promise<string> {
  const queries = [
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
    `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
    `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`,
    `SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`,
  ];
  const results = [];
  for (const q of queries) results.push((await client.query(q)).rows);
  return JSON.stringify(results);
}

describe("migrations", () => {
  it("every migration's SQL can run twice on an empty database, and the second run changes nothing", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) await client.query(m.sql);
    const first = await snapshot();
    for (const m of migrations) await client.query(m.sql);
    expect(await snapshot()).toBe(first);
  });

  it("the runner records each migration once in _prisma_migrations, as Prisma does", async () => {
    const first = await migrate(empty.url);
    const second = await migrate(empty.url);
    expect(first.applied).toEqual((await readMigrations()).map((m) => m.name));
    expect(second.applied).toEqual([]);
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(rows).toHaveLength(first.applied.length);
    for (const row of rows) {
      expect(row.finished).toBe(true);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("a migration edited after it was applied is refused with a message saying what to do", async () => {
    await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
    await expect(migrate(empty.url)).rejects.toThrow(/was changed after it was applied; add a new migration/);
    const [m] = await readMigrations();
    await client.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [m!.checksum, m!.name]);
  });

  it("the migrated database matches the Prisma schema's models (drift guard)", async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map<string, Map<string, { udt: string; nullable: boolean }>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
      actual.get(r.table_name)!.set(r.column_name, { udt: r.udt_name, nullable: r.is_nullable === "YES" });
    }
    const expected = readSchemaTables();
    expect([...actual.keys()].sort()).toEqual(expected.map((t) => t.table).sort());
    for (const table of expected) {
      const columns = actual.get(table.table)!;
      expect([...columns.keys()].sort(), `columns of ${table.table}`).toEqual(table.columns.map((c) => c.name).sort());
      for (const column of table.columns) {
        expect(columns.get(column.name), `${table.table}.${column.name}`).toEqual({ udt: column.udt, nullable: column.nullable });
      }
    }
  });
});
