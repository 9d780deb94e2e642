import type pg from "pg";
import type { StepLogger } from "@/worker/engine/step-logger";
import { quoteIdent, withClient } from "./client";

export interface SourceExtension {
  name: string;
  schema: string;
  /** User objects (columns, functions, indexes…) that use what the extension provides. */
  usedBy: number;
}

// What an extension owns: its members, and what hangs off them internally (a view's rule and row
// type, a type's array type, an operator family's operators); a user object depending on any of it uses it.
const EXTENSION_USE = `
WITH RECURSIVE owned AS (
  SELECT m.refobjid AS ext, m.classid, m.objid FROM pg_depend m WHERE m.refclassid = 'pg_extension'::regclass AND m.deptype = 'e'
  UNION
  SELECT o.ext, d.classid, d.objid FROM pg_depend d JOIN owned o ON d.refclassid = o.classid AND d.refobjid = o.objid WHERE d.deptype IN ('i', 'a')
)
SELECT e.extname AS name, n.nspname AS schema,
       (SELECT count(DISTINCT (d.classid, d.objid)) FROM pg_depend d JOIN owned o ON o.ext = e.oid AND d.refclassid = o.classid AND d.refobjid = o.objid
         WHERE d.deptype = 'n' AND NOT EXISTS (SELECT 1 FROM owned x WHERE x.classid = d.classid AND x.objid = d.objid))::text AS used_by
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql' ORDER BY 1`;

/** The source's extensions (plpgsql comes with every database) and how much depends on each. */
export async function listSourceExtensions(client: pg.Client): Promise<SourceExtension[]> {
  const { rows } = await client.query<{ name: string; schema: string; used_by: string }>(EXTENSION_USE);
  return rows.map((r) => ({ name: r.name, schema: r.schema, usedBy: Number(r.used_by) }));
}

export interface ExtensionPlan {
  create: SourceExtension[];
  present: SourceExtension[];
  /** Not creatable by the target's user, and nothing on the source uses them: left out, said so. */
  skipped: Array<SourceExtension & { why: string }>;
  /** Not creatable, and used: the copy cannot go on. */
  blocking: Array<SourceExtension & { why: string }>;
}

/**
 * Tries each missing extension on the target inside a transaction that is rolled back, so a
 * preflight learns what the copy could create without changing the target.
 */
export async function planTargetExtensions(sourceUrl: string, targetUrl: string): Promise<ExtensionPlan> {
  const wanted = await withClient(sourceUrl, listSourceExtensions);
  return withClient(targetUrl, async (c) => {
    const { rows } = await c.query<{ extname: string }>("SELECT extname FROM pg_extension");
    const installed = new Set(rows.map((r) => r.extname));
    const plan: ExtensionPlan = { create: [], present: [], skipped: [], blocking: [] };
    for (const ext of wanted) {
      if (installed.has(ext.name)) {
        plan.present.push(ext);
        continue;
      }
      const why = await tryCreate(c, ext);
      if (!why) plan.create.push(ext);
      else (ext.usedBy > 0 ? plan.blocking : plan.skipped).push({ ...ext, why });
    }
    return plan;
  });
}

async function tryCreate(c: pg.Client, ext: SourceExtension): Promise<string | null> {
  await c.query("BEGIN");
  try {
    await createOne(c, ext);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.query("ROLLBACK");
  }
}

/** "extension pg_stat_statements: …" lines for a refusal. */
export function describeBlocking(plan: ExtensionPlan): string {
  return plan.blocking.map((e) => `${e.name} (used by ${e.usedBy} object(s) on the source): ${e.why}`).join("; ");
}

/**
 * Creates on the target, as its own user, each extension the source has and the target lacks, in
 * the source's schema. One the source uses but the user may not create stops the copy; an unused
 * one is left out with a warning (an administrator can add it later).
 */
export async function createTargetExtensions(sourceUrl: string, targetUrl: string, log: StepLogger): Promise<void> {
  const wanted = await withClient(sourceUrl, listSourceExtensions);
  const plan: ExtensionPlan = { create: [], present: [], skipped: [], blocking: [] };
  await withClient(targetUrl, async (c) => {
    const installed = new Set((await c.query<{ extname: string }>("SELECT extname FROM pg_extension")).rows.map((r) => r.extname));
    for (const ext of wanted) {
      if (installed.has(ext.name)) plan.present.push(ext);
      else await createOne(c, ext).then(() => plan.create.push(ext), (err: Error) => (ext.usedBy > 0 ? plan.blocking : plan.skipped).push({ ...ext, why: err.message }));
    }
  });
  if (plan.blocking.length) {
    throw new Error(`the target's user cannot create extension(s) the source uses: ${describeBlocking(plan)}; have an administrator create them on the target first`);
  }
  for (const ext of plan.present) log.info(`copy: extension ${ext.name} is already installed on the target`);
  for (const ext of plan.create) log.info(`copy: created extension ${ext.name} in schema ${ext.schema} on the target`);
  for (const ext of plan.skipped) {
    log.info(`warning: copy: extension ${ext.name} was not created on the target (nothing on the source uses it; the target's user may not create it: ${ext.why}); an administrator can add it later`);
  }
}

async function createOne(c: pg.Client, ext: SourceExtension): Promise<void> {
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(ext.schema)}`);
  await c.query(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(ext.name)} WITH SCHEMA ${quoteIdent(ext.schema)}`);
}
