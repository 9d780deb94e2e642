import type pg from "pg";
import { connect, createPool } from "@/lib/pg/connect";
import { installPlatformExtensions, missingPlatformExtensions, PLATFORM_SCHEMA } from "./extensions";
import { fillTables } from "./fill";
import { planForScale, type SeedPlan } from "./plan";
import { CREATE_RICH_CONSTRAINTS, CREATE_RICH_TABLES, CREATE_RICH_TYPES, CREATE_RICH_VIEWS, DATASET_EXTRA_TABLES, sqlName } from "./rich-schema";
import { CREATE_CONSTRAINTS, CREATE_TABLES, CREATE_VIEWS_AND_FUNCTIONS, DATASET_TABLES, DROP_DATASET } from "./schema";

export interface SeedOptions {
  /** Approximate on-disk size of the dataset, tables plus indexes. Default 50. */
  scaleMb?: number;
  onProgress?: (msg: string) => void;
}
export interface SeedResult {
  tables: number;
  bytes: number;
}

// Two seeders racing on one database (two sandboxes, parallel tests) take turns on this lock.
const SEED_LOCK = 0x5eed_da7a;
// Bumped when the schema changes: a database seeded by an older version is seeded again.
const SEED_VERSION = "2";
// Batches run on this many connections at once; generating rows is CPU-bound on the server.
const FILL_CONNECTIONS = 4;

/**
 * Creates the sample shop's schema in `url` and fills it with about `scaleMb` of generated data.
 * Idempotent: a database already seeded (sandbox_meta says ready, this version) is left as it is.
 * Runs as the app's own role; the platform extensions must be there already (installPlatformExtensions),
 * except that a superuser URL (tests, benchmarks) installs them itself, as the platform would.
 */
export async function seedSourceDatabase(url: string, opts: SeedOptions = {}): Promise<SeedResult> {
  const scaleMb = opts.scaleMb ?? 50;
  if (!(scaleMb > 0)) throw new Error(`scaleMb must be a positive number of megabytes, not ${scaleMb}`);
  const progress = opts.onProgress ?? (() => undefined);
  const client = await connect(url);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [SEED_LOCK]);
    const status = await seedStatus(client);
    if (status === "ready") {
      progress("dataset already seeded, nothing to do");
      return await measureDataset(client);
    }
    if (status !== null) {
      progress(status === "seeding" ? "removing an unfinished earlier seed" : `removing a dataset seeded by an older version (${status})`);
      await client.query(DROP_DATASET);
    }
    await ensurePlatformExtensions(client, url, progress);
    await seedFresh(client, url, scaleMb, progress);
    return await measureDataset(client);
  } finally {
    await client.end(); // ending the session also releases the advisory lock
  }
}

async function seedFresh(client: pg.Client, url: string, scaleMb: number, progress: (msg: string) => void): Promise<void> {
  const plan = planForScale(scaleMb);
  const started = Date.now();
  progress(`seeding about ${scaleMb} MB: ${describePlan(plan)}`);
  // Losing the last batches in a crash is harmless: the marker stays "seeding" and we start over.
  await client.query("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'");
  await client.query("BEGIN");
  await client.query("CREATE TABLE sandbox_meta (key text PRIMARY KEY, value text NOT NULL)");
  await client.query(CREATE_TABLES);
  await client.query(CREATE_RICH_TYPES);
  await client.query(CREATE_RICH_TABLES);
  await writeMeta(client, { status: "seeding", version: SEED_VERSION, scale_mb: String(scaleMb) });
  await client.query("COMMIT");
  await fillInParallel(url, plan, progress);
  progress("adding foreign keys, indexes, views and functions");
  await client.query(CREATE_CONSTRAINTS);
  await client.query(CREATE_RICH_CONSTRAINTS);
  await client.query(CREATE_VIEWS_AND_FUNCTIONS);
  await client.query(CREATE_RICH_VIEWS);
  await syncSequences(client);
  await client.query(`ANALYZE ${[...DATASET_TABLES, ...DATASET_EXTRA_TABLES.map(sqlName)].join(", ")}`);
  await writeMeta(client, { status: "ready", seeded_at: new Date().toISOString() });
  progress(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function fillInParallel(url: string, plan: SeedPlan, progress: (msg: string) => void): Promise<void> {
  const pool = createPool(url, { max: FILL_CONNECTIONS, options: "-c synchronous_commit=off" });
  try {
    await fillTables(pool, FILL_CONNECTIONS, plan, progress);
  } finally {
    await pool.end();
  }
}

/** null: never seeded; "seeding": an earlier attempt stopped half-way; "ready": done; else the older version found. */
async function seedStatus(client: pg.Client): Promise<string | null> {
  const exists = await client.query<{ found: boolean }>("SELECT to_regclass('public.sandbox_meta') IS NOT NULL AS found");
  if (!exists.rows[0]!.found) return null;
  const { rows } = await client.query<{ key: string; value: string }>("SELECT key, value FROM sandbox_meta WHERE key IN ('status', 'version')");
  const meta = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  if (meta.status === "ready" && meta.version !== SEED_VERSION) return `version ${meta.version ?? "unknown"}`;
  return meta.status ?? "seeding";
}

/** The app's role cannot create extensions; a superuser may stand in for the platform. */
async function ensurePlatformExtensions(client: pg.Client, url: string, progress: (msg: string) => void): Promise<void> {
  const missing = await missingPlatformExtensions(client);
  if (!missing.length) return;
  const { rows } = await client.query<{ superuser: boolean }>("SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user");
  if (!rows[0]?.superuser) {
    throw new Error(`the dataset needs extension(s) ${missing.join(", ")} in schema ${PLATFORM_SCHEMA}, which the platform creates on Heroku; run installPlatformExtensions with a superuser's URL first`);
  }
  progress(`creating extension(s) ${missing.join(", ")} in schema ${PLATFORM_SCHEMA}, as the platform would`);
  await installPlatformExtensions(url);
}

async function writeMeta(client: pg.Client, entries: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(entries)) {
    await client.query(
      "INSERT INTO sandbox_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
      [key, value],
    );
  }
}

/** Rows were loaded with explicit ids, so each sequence must be moved past the highest one. */
async function syncSequences(client: pg.Client): Promise<void> {
  for (const table of ["customers", "products", "orders"]) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${table}), false)`,
      [table],
    );
  }
}

/** Number of dataset tables present (shop and typed, leaf partitions included) and their total size, heap, TOAST and indexes included. */
export async function measureDataset(client: pg.ClientBase): Promise<SeedResult> {
  const tables = [...DATASET_TABLES.map((name) => ({ schema: "public", name })), ...DATASET_EXTRA_TABLES];
  const result = await client.query<{ tables: number; bytes: string }>(
    `SELECT count(*)::int AS tables, coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS t (schema, name) ON t.schema = n.nspname AND t.name = c.relname
      WHERE c.relkind = 'r'`,
    [tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
  return { tables: result.rows[0]!.tables, bytes: Number(result.rows[0]!.bytes) };
}

function describePlan(plan: SeedPlan): string {
  return Object.entries(plan).filter(([, rows]) => typeof rows === "number").map(([table, rows]) => `${rows} ${table}`).join(", ");
}
