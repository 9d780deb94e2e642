import type pg from "pg";
import { withClient } from "@/lib/pg/connect";

// On Heroku the platform (a superuser) creates extensions, in a schema of their own; the app's
// credential cannot. The sandbox plays the platform with this before the app's role seeds.

export const PLATFORM_SCHEMA = "heroku_ext";
export const PLATFORM_EXTENSIONS = ["citext", "hstore", "pgcrypto", "pg_stat_statements"] as const;

/** Creates heroku_ext and the platform's extensions in it; `adminUrl` is a superuser's URL to the app database. */
export async function installPlatformExtensions(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query("BEGIN");
    try {
      // Two sandboxes or tests racing on one database take turns: CREATE … IF NOT EXISTS is not atomic.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('switchyard platform extensions'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${PLATFORM_SCHEMA}`);
      await client.query(`GRANT USAGE ON SCHEMA ${PLATFORM_SCHEMA} TO PUBLIC`);
      for (const ext of PLATFORM_EXTENSIONS) await client.query(`CREATE EXTENSION IF NOT EXISTS ${ext} WITH SCHEMA ${PLATFORM_SCHEMA}`);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  });
}

/** The platform extensions missing from the database `client` is connected to (the seed needs them). */
export async function missingPlatformExtensions(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ extname: string }>(
    "SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = $1",
    [PLATFORM_SCHEMA],
  );
  const present = new Set(rows.map((r) => r.extname));
  return PLATFORM_EXTENSIONS.filter((e) => !present.has(e));
}
