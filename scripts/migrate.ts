// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded default).
import { ConfigError } from "@/lib/env/parse";
import { migrate } from "@/lib/db/migrate";
import { devEnv } from "@/lib/env/dev";
import { startDatabase } from "./dev/database";

async function main() {
  const env = devEnv();
  const database = await startDatabase(env);
  try {
    const result = await migrate(database.url);
    console.log(result.applied.length ? `applied: ${result.applied.join(", ")}` : "database is up to date");
  } finally {
    await database.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `db:migrate failed: ${(err as Error).message}`);
  process.exit(1);
});
