import type pg from "pg";
import { withClient } from "@/lib/pg/connect";
import { fingerprint, fingerprintChanges } from "@/lib/pg/fingerprint";
import { sqlKind } from "@/lib/steps/kinds/sql";
import { PermanentStepError, permanent } from "../step-error";
import { defineExecutor, type StepContext } from "../types";

/**
 * Runs the plan's reviewed SQL on the target with the target URL's role (the app's own), in one
 * transaction. "Run twice" proves the seeds' rule: the second run succeeds and changes nothing.
 */
export const sqlStep = defineExecutor(sqlKind, {
  timeoutMs: 3600_000,
  // A failing statement fails the same way again; a retry would only repeat the error.
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: false,
  async resume(_ctx, { runTwice }) {
    // Proven-idempotent SQL may simply run again; other SQL may already have committed.
    if (!runTwice) {
      throw permanent(
        "the worker stopped while this SQL was running, so it may or may not have committed; check the target, then roll back, or fix the plan (\"run twice\" marks SQL that is safe to repeat)",
      );
    }
  },
  async run(ctx, { sql, runTwice }) {
    return withClient(ctx.secrets.targetUrl, async (client) => {
      const stop = abortOn(ctx, client);
      try {
        const first = await runOnce(ctx, client, sql, "");
        if (!runTwice) return { output: { durationMs: first } };
        const before = await fingerprint(client);
        // Compared inside the second run's transaction, so a second run that changes anything is rolled back.
        const second = await runOnce(ctx, client, sql, " (second run)", async () => {
          const changes = fingerprintChanges(before, await fingerprint(client));
          if (changes.length) throw permanent(`the SQL is not idempotent: its second run would change the target (rolled back; the first run stays committed):\n${changes.join("\n")}`);
        });
        const tablesCompared = Object.keys(before.rows).length;
        ctx.log.info(`the second run changed no schema object and no row count (${tablesCompared} tables compared)`);
        return { output: { durationMs: first + second, provenIdempotent: true, tablesCompared } };
      } finally {
        stop();
      }
    }, { applicationName: "switchyard-sql-step" });
  },
});

/** One transaction around the whole text, so a failing statement leaves nothing behind. */
async function runOnce(ctx: StepContext, client: pg.Client, sql: string, label: string, beforeCommit?: () => Promise<void>): Promise<number> {
  const started = Date.now();
  ctx.log.info(`running ${sql.length} characters of reviewed SQL on the target${label}`);
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL ${MARK} = 'on'`);
    await client.query(sql);
    await assertStillOneTransaction(client);
    await beforeCommit?.();
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (err instanceof PermanentStepError || ctx.signal.aborted) throw err;
    throw permanent(`the SQL failed${label} and was rolled back: ${(err as Error).message}`);
  }
  const ms = Date.now() - started;
  ctx.log.info(`committed in ${ms} ms${label}`);
  return ms;
}

// A COMMIT or ROLLBACK inside the SQL ends our transaction and with it this SET LOCAL.
const MARK = "switchyard.sql_step";

async function assertStillOneTransaction(client: pg.Client) {
  const { rows } = await client.query<{ mark: string | null }>(`SELECT current_setting('${MARK}', true) AS mark`);
  if (rows[0]?.mark === "on") return;
  throw permanent("the SQL ends its transaction itself (COMMIT, ROLLBACK or END): take those statements out; Switchyard runs the whole SQL as one transaction, and what ran before them has already committed");
}

// Cancel is immediate: closing the connection makes PostgreSQL roll the open transaction back.
function abortOn(ctx: StepContext, client: pg.Client): () => void {
  const onAbort = () => void client.end().catch(() => undefined);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  return () => ctx.signal.removeEventListener("abort", onAbort);
}
