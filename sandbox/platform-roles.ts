import { withClient } from "@/lib/pg/connect";
import { withDatabase } from "@/lib/pg/url";

// The credentials the platforms hand out, for the sandbox and for tests that must hold a copy to
// the same limits: Heroku's default credential owns its database and nothing more; RDS's master
// user may create databases and roles but is no superuser (rds_superuser is not one either).

export const HEROKU_DEFAULT_CREDENTIAL = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
export const RDS_MASTER_USER = "NOSUPERUSER CREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS";

/** A login role with a password and a database it owns; returns the role's URL to it. */
export async function ownedDatabase(adminUrl: string, opts: { role: string; attributes: string; password: string; database: string }): Promise<string> {
  await withClient(adminUrl, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [opts.role]);
    const verb = exists.rowCount ? "ALTER" : "CREATE";
    await client.query(`${verb} ROLE ${opts.role} WITH LOGIN ${opts.attributes} PASSWORD ${client.escapeLiteral(opts.password)}`);
    const db = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (!db.rowCount) await client.query(`CREATE DATABASE ${opts.database} OWNER ${opts.role}`);
  });
  const url = new URL(withDatabase(adminUrl, opts.database));
  url.username = opts.role;
  url.password = opts.password;
  return url.toString();
}
