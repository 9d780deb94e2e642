import { DomainError } from "@/lib/errors";
import { describePgUrl } from "@/lib/pg/url";
import type { StepLogger } from "@/worker/engine/step-logger";
import { describeCounts, listUserSchemas } from "./catalog";
import { quoteIdent, withClient } from "./client";
import { inspectDatabase } from "./inspect";

/** Refuses to restore over existing objects: a half-filled target would fail midway or mix data. */
export async function assertTargetEmpty(targetUrl: string): Promise<void> {
  const facts = await inspectDatabase(targetUrl);
  if (facts.isEmpty) return;
  const { host, port, database } = describePgUrl(targetUrl);
  const what = describeCounts(facts.objects, ["tables", "views", "functions", "sequences"]);
  throw new DomainError(
    "precondition_failed",
    `the target database ${database} at ${host}:${port} is not empty (${what}); empty it or set the plan's overwrite option`,
  );
}

/**
 * Empties the target so an interrupted copy can start again: every non-system schema is dropped
 * with everything in it, and `public` comes back owned by the user we connect as.
 */
export async function cleanTarget(targetUrl: string, log: StepLogger): Promise<void> {
  const { database } = describePgUrl(targetUrl);
  await withClient(targetUrl, async (client) => {
    const schemas = await listUserSchemas(client);
    log.info(`emptying target database ${database}: dropping schema${schemas.length === 1 ? "" : "s"} ${schemas.join(", ") || "(none)"}`);
    await client.query("BEGIN");
    try {
      for (const schema of schemas) await client.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await client.query("CREATE SCHEMA public AUTHORIZATION CURRENT_USER");
      // PostgreSQL 15's default for public: everyone may use it, only its owner creates in it.
      await client.query("GRANT USAGE ON SCHEMA public TO PUBLIC");
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  });
  log.info(`target database ${database} is empty`);
}
