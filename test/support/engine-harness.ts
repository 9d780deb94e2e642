import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll } from "vitest";
import { chmodSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { childProcessEnv } from "@/lib/child-env";
import type { Actor } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { signOff } from "@/lib/signoff/sign-off";
import { createUser } from "@/lib/user/create-user";
import { freePort } from "@/sandbox/dynos/dyno-process";
import { startSandbox, type RunningSandbox } from "@/sandbox/start";
import WebSocket from "ws";
import { parseSecretKey } from "@/lib/security/secret-key";
import { mintWsToken } from "@/lib/ws/token";
import type { TestDatabase } from "./test-db";

export interface EngineWorld {
  sandbox: RunningSandbox;
  operator: Actor;
  approvers: Actor[];
  herokuAppId: string;
  cutoverId: string;
}

export type ExtraSmokeCheck = { url: string; expectStatus?: number; expectText?: string; maxLatencyMs?: number; imagesLoad?: boolean };

const user = (u: { id: string; email: string; role: string }): Actor => ({ type: "user", id: u.id, email: u.email, role: u.role as "operator" });

/** A sandbox, demo users and a signed-off cutover whose window is open now. */
export async function buildEngineWorld(
  t: TestDatabase,
  opts: { scaleMb: number; overwriteTarget?: boolean; smokeChecks?: ExtraSmokeCheck[]; restartMs?: number },
): Promise<EngineWorld> {
  const home = mkdtempSync(path.join(os.tmpdir(), "switchyard-engine-"));
  chmodSync(home, 0o755);
  const sandbox = await startSandbox({
    home,
    emulatorPort: await freePort(),
    routerPort: await freePort(),
    sourcePgPort: await freePort(),
    targetPgPort: await freePort(),
    scaleMb: opts.scaleMb,
    restartMs: opts.restartMs ?? 1_000,
  });
  const app = sandbox.info.apps[0]!;
  const ctx = t.ctx();
  const operator = user(await createUser({ ctx, input: { email: "op@example.com", name: "Op", role: "operator" } }));
  const approvers = [
    user(await createUser({ ctx, input: { email: "a1@example.com", name: "A1", role: "approver" } })),
    user(await createUser({ ctx, input: { email: "a2@example.com", name: "A2", role: "approver" } })),
  ];
  const herokuApp = await addHerokuApp({ ctx, input: { name: app.name, apiBaseUrl: sandbox.info.emulatorUrl, apiToken: sandbox.info.apiToken } });
  const cutover = await createCutover({
    ctx: t.ctx(operator),
    input: {
      name: "engine test",
      herokuAppId: herokuApp.id,
      targetDatabaseUrl: app.targetDatabaseUrl,
      rehearsalDatabaseUrl: app.rehearsalTargetDatabaseUrl,
      smokeChecks: [{ url: `${app.routerUrl}/`, expectStatus: 200, expectText: "Switchyard sample", maxLatencyMs: 5000, imagesLoad: true }, ...(opts.smokeChecks ?? [])],
      windowStartsAt: new Date(Date.now() - 3600_000),
      windowEndsAt: new Date(Date.now() + 3 * 3600_000),
      timeZone: "Europe/Berlin",
      requiredApprovals: 2,
    },
  });
  if (opts.overwriteTarget) await t.db.cutover.update({ where: { id: cutover.id }, data: { options: { overwriteTarget: true } } });
  for (const approver of approvers) {
    await signOff({ ctx: t.ctx(approver), input: { cutoverId: cutover.id, planHash: cutover.planHash, decision: "approve", comment: "ok" } });
  }
  return { sandbox, operator, approvers, herokuAppId: herokuApp.id, cutoverId: cutover.id };
}

export interface WorkerProcess {
  child: ChildProcess;
  wsPort: number;
  lines: string[];
  exited: Promise<void>;
}

/** The real worker process, pointed at the test database. */
export async function spawnWorker(t: TestDatabase, name: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const wsPort = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    env: childProcessEnv({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: t.url,
      SWITCHYARD_SECRET_KEY: t.secretKeyText,
      WORKER_ID: name,
      WORKER_WS_PORT: String(wsPort),
      WORKER_POLL_MS: "500",
      WORKER_HEARTBEAT_MS: "500",
      WORKER_STALE_AFTER_MS: "3000",
      // The sandbox app and the tests' own sites listen on 127.0.0.1.
      SMOKE_ALLOW_PRIVATE_URLS: "true",
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  for (const s of [child.stdout!, child.stderr!]) readline.createInterface({ input: s }).on("line", (l) => lines.push(l));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!lines.some((l) => l.includes("worker ready"))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker did not start:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, wsPort, lines, exited };
}

/** Polls until the run reaches one of the statuses; fails with its last log lines otherwise. */
export async function waitForRun(t: TestDatabase, runId: string, statuses: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await t.db.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) {
      const lines = await t.db.logLine.findMany({ where: { runId }, orderBy: { seq: "desc" }, take: 25 });
      throw new Error(`run is ${run.status}, not ${statuses.join("/")}${run.error ? ` (${run.error})` : ""}; last lines:\n${lines.reverse().map((l) => l.text).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type Writer = ReturnType<typeof startWriter>;

/** Writes through the app's public URL until stopped; remembers every write answered 201. */
export function startWriter(routerUrl: string, clientId: string) {
  const acknowledged: number[] = [];
  let attempts = 0;
  let running = true;
  const loop = (async () => {
    for (let seq = 1; running; seq++) {
      attempts++;
      try {
        const res = await fetch(`${routerUrl}/api/writes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId, seq }), signal: AbortSignal.timeout(5_000) });
        if (res.status === 201) acknowledged.push(seq);
        await res.arrayBuffer();
      } catch {
        // not acknowledged: fine, only 201s must survive
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  return {
    clientId,
    acknowledged,
    attempts: () => attempts,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Collects every frame the worker's /ws sends for one run, from seq 0. */
export function watchRunFrames(t: TestDatabase, wsPort: number, cutoverId: string, runId: string) {
  const frames: string[] = [];
  const token = mintWsToken({ userId: "test-viewer", cutoverId, ttlSeconds: 600 }, parseSecretKey(t.secretKeyText).bytes);
  const socket = new WebSocket(`ws://127.0.0.1:${wsPort}/ws?token=${encodeURIComponent(token)}`);
  socket.on("open", () => socket.send(JSON.stringify({ type: "subscribe", runId, afterSeq: 0 })));
  socket.on("message", (data) => frames.push(data.toString()));
  const seqs = () => frames.flatMap((f) => (JSON.parse(f).type === "lines" ? JSON.parse(f).lines.map((l: { seq: number }) => l.seq) : []));
  return { frames, seqs, close: () => socket.close() };
}

/** A sandbox world and one real worker for a test file, built before its tests and stopped after. */
export function useEngineWorld(t: TestDatabase, opts: { scaleMb: number; workerName: string; restartMs?: number }) {
  const handle = {} as { world: EngineWorld; worker: WorkerProcess };
  beforeAll(async () => {
    handle.world = await buildEngineWorld(t, { scaleMb: opts.scaleMb, restartMs: opts.restartMs });
    handle.worker = await spawnWorker(t, opts.workerName);
  }, 120_000);
  afterAll(async () => {
    handle.worker?.child.kill("SIGTERM");
    await handle.worker?.exited;
    await handle.world?.sandbox.stop();
  }, 60_000);
  return handle;
}

/** The first value of a one-row query (counts and the like) on any database. */
export async function queryValue(url: string, sql: string, params: unknown[] = []): Promise<unknown> {
  const client = await connect(url);
  try {
    const { rows } = await client.query(sql, params);
    return rows[0] ? Object.values(rows[0])[0] : undefined;
  } finally {
    await client.end();
  }
}
