import { connect } from "@/lib/pg/connect";
import { withDatabase } from "./url";

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database if it does not exist; returns its connection URL. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = await connect(adminUrl);
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      const from = template ? ` TEMPLATE ${quoteIdent(template)}` : "";
      await client.query(`CREATE DATABASE ${quoteIdent(name)}${from}`);
    }
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

/** Drops a database, closing any connections left open to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = await connect(adminUrl);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The server's major version, e.g. 15. */
export async function serverMajorVersion(url: string): Promise<number> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
    return Math.floor(Number(rows[0]!.server_version_num) / 10000);
  } finally {
    await client.end();
  }
}
