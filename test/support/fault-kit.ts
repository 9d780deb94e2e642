// The fault suite's shared parts: waits on real events (never on the clock), database locks that
// hold a running step exactly where a fault must hit it, and the checks every case makes on the
// outcome: the run, the plan, the app, the audit trail, the log and every acknowledged write.
import type pg from "pg";
import { connect } from "@/lib/pg/connect";
import { expect } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import type { Actor } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import type { CreateCutoverInput } from "@/lib/cutover/schema";
import type { RunStatus } from "@/lib/run/state-machine";
import { startRun } from "@/lib/run/start-run";
import { signOff } from "@/lib/signoff/sign-off";
import { DATASET_TABLES } from "@/sandbox/dataset/schema";
import { memoryLogger } from "@/worker/engine/step-logger";
import { cleanTarget } from "@/worker/steps/postgres/target";
import { waitForRun, type EngineWorld, type Writer } from "./engine-harness";
import type { TestDatabase } from "./test-db";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sandboxApp = (world: EngineWorld) => world.sandbox.info.apps[0]!;

/** Polls until `probe` gives a value; fails naming what never happened. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(25);
  }
}

export function waitForStep(t: TestDatabase, runId: string, key: string, status: "running" | "succeeded" | "failed", phase: "forward" | "rollback" = "forward") {
  return waitUntil(`step ${key} is ${status}`, () => t.db.stepRun.findFirst({ where: { runId, stepKey: key, status, phase } }));
}

export function waitForLogLine(t: TestDatabase, runId: string, startsWith: string) {
  return waitUntil(`the log says "${startsWith}…"`, () => t.db.logLine.findFirst({ where: { runId, text: { startsWith } } }));
}

/** A client for fixtures; a session the test ends on purpose must not crash the test process. */
export async function dbClient(url: string): Promise<pg.Client> {
  const client = await connect(url);
  client.on("error", () => undefined);
  return client;
}

export async function query<R extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = await dbClient(url);
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Other sessions of this database waiting for a lock: proof that a step waits where we hold it. */
export async function lockWaiters(url: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    url,
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> pg_backend_pid()`,
  );
  return row!.n;
}

export interface HeldTransaction {
  /** Resolves once every statement ran (its locks are granted). */
  granted: Promise<void>;
  release(): Promise<void>;
}

/** Runs statements in one transaction and keeps it open, with its locks, until released (rolled back). */
export async function holdTransaction(url: string, statements: string[]): Promise<HeldTransaction> {
  const client = await dbClient(url);
  // READ WRITE: the write freeze makes the source read-only by default, and strong locks need it.
  const granted = (async () => {
    await client.query("BEGIN READ WRITE");
    for (const sql of statements) await client.query(sql);
  })();
  granted.catch(() => undefined);
  return {
    granted,
    async release() {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Empties the target as an operator would before a run (the copy refuses a non-empty one). */
export async function emptyTarget(world: EngineWorld): Promise<void> {
  await cleanTarget(sandboxApp(world).targetDatabaseUrl, memoryLogger());
}

/**
 * Holds a live run's copy in its data phase. The target's public schema is locked before the copy
 * starts, so the schema restore waits (the source's schema is read by then); then the source's
 * orders table is locked and the schema let go: rows stream, and the lane that reaches orders
 * waits. Call right after starting the run, with an empty target and no "overwrite".
 */
export async function pinCopyInDataPhase(t: TestDatabase, world: EngineWorld, runId: string, atCopyStart?: () => Promise<void>): Promise<HeldTransaction> {
  const app = sandboxApp(world);
  const schema = await holdTransaction(app.targetDatabaseUrl, ["DROP SCHEMA public"]);
  await schema.granted;
  await waitForStep(t, runId, "copy", "running");
  await waitUntil("the copy's schema restore waits for the target's schema", async () => (await lockWaiters(app.targetDatabaseUrl)) > 0);
  // The source is read-only and nothing holds its tables: the moment to read it as "before".
  await atCopyStart?.();
  const orders = await holdTransaction(app.sourceDatabaseUrl, ["LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"]);
  await orders.granted;
  await schema.release();
  await waitUntil("a copy lane waits for the source's orders table", async () => (await lockWaiters(app.sourceDatabaseUrl)) > 0);
  return orders;
}

/**
 * Holds a live run in its verify step: once the copy has read the source's sequences (its last
 * read of the source), one of them is locked; verify reads sequences after counting every row.
 */
export async function pinVerify(t: TestDatabase, world: EngineWorld, runId: string): Promise<HeldTransaction> {
  const source = sandboxApp(world).sourceDatabaseUrl;
  await waitForLogLine(t, runId, "copy: set ");
  const sequence = await holdTransaction(source, ["ALTER SEQUENCE public.orders_id_seq RENAME TO orders_id_seq_held"]);
  await sequence.granted;
  await waitForStep(t, runId, "verify", "running");
  await waitUntil("verify waits for the source's sequence", async () => (await lockWaiters(source)) > 0);
  return sequence;
}

/** Exact row counts of every dataset table: "untouched" means equal before and after. */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  const [row] = await query<Record<string, string>>(url, `SELECT ${DATASET_TABLES.map((t) => `(SELECT count(*) FROM ${t})::text AS ${t}`).join(", ")}`);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

export async function sourceIsWritable(world: EngineWorld): Promise<boolean> {
  const [row] = await query<{ default_transaction_read_only: string }>(sandboxApp(world).sourceDatabaseUrl, "SHOW default_transaction_read_only");
  return row!.default_transaction_read_only === "off";
}

/** Which database the app's health endpoint names, and whether it answers at all. */
export async function appHealth(world: EngineWorld): Promise<{ status: number; database?: { name: string; port: number } }> {
  const res = await fetch(`${sandboxApp(world).routerUrl}/health`);
  const text = await res.text();
  try {
    return { status: res.status, ...JSON.parse(text) };
  } catch {
    return { status: res.status };
  }
}

export async function signOffCurrentPlan(t: TestDatabase, world: EngineWorld, cutoverId: string): Promise<void> {
  const cutover = await t.db.cutover.findUniqueOrThrow({ where: { id: cutoverId } });
  for (const approver of world.approvers) {
    await signOff({ ctx: t.ctx(approver), input: { cutoverId, planHash: cutover.planHash, decision: "approve", comment: "ok" } });
  }
}

/** Another plan for the sandbox app (its own target, say), signed off and inside an open window. */
export async function signedCutover(t: TestDatabase, world: EngineWorld, input: Partial<CreateCutoverInput> = {}): Promise<string> {
  const app = sandboxApp(world);
  const cutover = await createCutover({
    ctx: t.ctx(world.operator),
    input: {
      name: `fault case ${Date.now() % 1e6}`,
      herokuAppId: world.herokuAppId,
      targetDatabaseUrl: app.targetDatabaseUrl,
      smokeChecks: [{ url: `${app.routerUrl}/`, expectStatus: 200, expectText: "Switchyard sample", maxLatencyMs: 5000, imagesLoad: true }],
      windowStartsAt: new Date(Date.now() - 3600_000),
      windowEndsAt: new Date(Date.now() + 3 * 3600_000),
      timeZone: "Europe/Berlin",
      requiredApprovals: 2,
      ...input,
    },
  });
  await signOffCurrentPlan(t, world, cutover.id);
  return cutover.id;
}

export async function startLive(t: TestDatabase, operator: Actor, cutoverId: string) {
  return startRun({ ctx: t.ctx(operator), input: { cutoverId, kind: "live" } });
}

export const FINISHED: RunStatus[] = ["succeeded", "needs_attention", "failed", "cancelled", "rolled_back", "rollback_failed"];

export function waitForEnd(t: TestDatabase, runId: string, timeoutMs = 300_000) {
  return waitForRun(t, runId, FINISHED, timeoutMs);
}

async function seqsIn(url: string, clientId: string): Promise<Set<number>> {
  const rows = await query<{ seq: number }>(url, "SELECT seq FROM page_writes WHERE client_id = $1", [clientId]);
  return new Set(rows.map((r) => Number(r.seq)));
}

export interface Outcome {
  status: RunStatus;
  /** The plan: draft again (nothing changed, or rolled back), live (changed, awaiting a decision) or done. */
  cutover: "draft" | "live" | "done";
  /** The database the app serves from, out of maintenance with its formation back; omitted while it is still in maintenance. */
  appOn?: "source" | "target";
  /** Every write the app acknowledged must be in the database it ends up on ... */
  writer?: Writer;
  /** ... except, after a rollback from a switched app, writes made on the target, which stay there and which the rollback counts in its log. */
  strandedOnTarget?: boolean;
}

/** Checks a finished case: run and plan status, the app, the audit trail, the log, the attempts, the writes. */
export async function expectOutcome(t: TestDatabase, world: EngineWorld, runId: string, o: Outcome): Promise<void> {
  const run = await t.db.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
  expect(run.status, run.error ?? "").toBe(o.status);
  expect((await t.db.cutover.findUniqueOrThrow({ where: { id: run.cutoverId } })).status, "the plan's status").toBe(o.cutover);
  const app = sandboxApp(world);
  if (o.appOn) await expectAppOn(world, o.appOn);
  await expectRunRecords(t, runId);
  if (!o.writer) return;
  expect(o.writer.acknowledged.length, "the app acknowledged writes during the case").toBeGreaterThan(0);
  const final = await seqsIn(o.appOn === "target" ? app.targetDatabaseUrl : app.sourceDatabaseUrl, o.writer.clientId);
  const missing = o.writer.acknowledged.filter((seq) => !final.has(seq));
  if (!o.strandedOnTarget) {
    expect(missing, `writes acknowledged but absent from the ${o.appOn ?? "source"}`).toEqual([]);
    return;
  }
  const onTarget = await seqsIn(app.targetDatabaseUrl, o.writer.clientId);
  expect(missing.filter((seq) => !onTarget.has(seq)), "acknowledged writes found nowhere").toEqual([]);
  const report = await t.db.logLine.findFirst({ where: { runId, text: { contains: "row(s) changed on the target since maintenance went off" } } });
  expect(report, "the rollback says how many rows stay on the target").not.toBeNull();
  expect(Number(/^(\d+) row/.exec(report!.text)?.[1])).toBeGreaterThanOrEqual(missing.length);
}

/** Out of maintenance, every process type back, health naming the database, a source left writable. */
export async function expectAppOn(world: EngineWorld, on: "source" | "target"): Promise<void> {
  const app = sandboxApp(world);
  const url = new URL(on === "source" ? app.sourceDatabaseUrl : app.targetDatabaseUrl);
  expect(world.sandbox.emulator.app(app.name)!.maintenance, "maintenance mode").toBe(false);
  expect(world.sandbox.emulator.formation(app.name).map((f) => `${f.type}=${f.quantity}`).sort()).toEqual(["web=1", "worker=1"]);
  const health = await appHealth(world);
  expect(health.status).toBe(200);
  expect(health.database).toMatchObject({ name: url.pathname.slice(1), port: Number(url.port) });
  if (on === "source") expect(await sourceIsWritable(world), "the source accepts writes again").toBe(true);
}

/** The records a run leaves: a gap-free log, one audit event per transition on a verified chain, no step succeeded twice. */
export async function expectRunRecords(t: TestDatabase, runId: string): Promise<void> {
  const run = await t.db.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
  const seqs = (await t.db.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { seq: true } })).map((l) => l.seq);
  expect(seqs, "log seqs: no gap, no duplicate").toEqual(seqs.map((_, i) => i + 1));
  expect(seqs.length).toBe(run.lastLogSeq);

  const steps = await t.db.stepRun.findMany({ where: { runId } });
  const transitions = await t.db.runTransition.findMany({ where: { runId } });
  const runAudit = await t.db.auditEvent.count({ where: { action: "run.transition", entityId: runId } });
  const stepAudit = await t.db.auditEvent.count({ where: { action: "step.transition", entityId: { in: steps.map((s) => s.id) } } });
  expect(runAudit, "an audit event per run transition").toBe(transitions.filter((x) => !x.stepRunId).length);
  expect(stepAudit, "an audit event per step transition").toBe(transitions.filter((x) => x.stepRunId).length);
  const chain = await verifyAuditChain(t.db);
  expect(chain, "the audit chain verifies").toMatchObject({ ok: true });

  const succeeded = new Map<string, number>();
  for (const s of steps.filter((x) => x.status === "succeeded")) succeeded.set(`${s.phase}:${s.stepKey}`, (succeeded.get(`${s.phase}:${s.stepKey}`) ?? 0) + 1);
  expect([...succeeded].filter(([, n]) => n > 1), "a step succeeded more than once").toEqual([]);
}

/** "key:status" of every forward attempt in order, e.g. ["preflight:succeeded", "copy:abandoned", "copy:succeeded", …]. */
export async function forwardAttempts(t: TestDatabase, runId: string): Promise<string[]> {
  const steps = await t.db.stepRun.findMany({ where: { runId, phase: "forward" }, orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] });
  return steps.map((s) => `${s.stepKey}:${s.status}`);
}

export async function runLog(t: TestDatabase, runId: string): Promise<string> {
  return (await t.db.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
}
