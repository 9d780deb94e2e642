import { countObjects, type ObjectCounts } from "./catalog";
import { withClient } from "./connect";

export interface DatabaseFacts {
  /** e.g. "15.18" */
  serverVersion: string;
  serverMajor: number;
  sizeBytes: number;
  tables: number;
  /** No user tables, views, sequences or functions in non-system schemas. */
  isEmpty: boolean;
  objects: ObjectCounts;
}

/** What a source or target database holds; connection failures say where, never the password. */
export function inspectDatabase(url: string): Promise<DatabaseFacts> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ version: string; num: string; size: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num,
              pg_database_size(current_database())::text AS size`,
    );
    const objects = await countObjects(client);
    return {
      serverVersion: rows[0]!.version.split(" ")[0]!,
      serverMajor: Math.floor(Number(rows[0]!.num) / 10_000),
      sizeBytes: Number(rows[0]!.size),
      tables: objects.tables,
      isEmpty: objects.tables + objects.views + objects.sequences + objects.functions === 0,
      objects,
    };
  });
}
