// `npm run dev`: the whole product in one terminal: database, migrations, demo seed, sandbox,
// worker and `next dev`. Ctrl-C stops every child and the embedded database.
import { createRequire } from "node:module";
import { ConfigError } from "@/lib/env/parse";
import { childEnv, devEnv, type DevEnv } from "@/lib/env/dev";
import { allowPrivateSmokeUrlsByDefault } from "@/lib/env/smoke-urls";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { serverMajorVersion } from "@/lib/pg/admin";
import { pgToolProblems } from "@/lib/pg/tools";
import { parseSecretKey } from "@/lib/security/secret-key";
import { systemActor } from "@/lib/context";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@/lib/seed/demo-seed";
import { startSandbox, type RunningSandbox } from "@/sandbox/start";
import { spawnChild, stopChild, type Child } from "./dev/children";
import { createProcessList } from "./dev/processes";
import { supervise } from "./dev/supervise";
import { describeDatabase, startDatabase } from "./dev/database";
import { assertPortFree, waitForHttp } from "./dev/ports";
import { loadSecretKeyText } from "./dev/secret-key";

const say = (line: string) => process.stdout.write(`[dev]     ${line}\n`);
const stops: Array<() => Promise<void>> = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say("stopping…");
    for (const stop of stops.reverse()) await stop().catch((err) => say(`while stopping: ${(err as Error).message}`));
    say("stopped");
  }
  process.exit(code);
}

async function main() {
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  const env = devEnv();
  await assertPortFree(env.PORT, "PORT");
  await assertPortFree(env.WORKER_WS_PORT, "WORKER_WS_PORT");
  const database = await startDatabase(env);
  stops.push(() => database.stop());
  say(`database: ${describeDatabase(database)}`);
  await warnAboutPgTools(database.url);
  const migrated = await migrate(database.url);
  say(migrated.applied.length ? `migrations applied: ${migrated.applied.join(", ")}` : "migrations: up to date");
  const secretKeyText = await loadSecretKeyText(env);
  const sandbox = env.SWITCHYARD_SANDBOX === "1" ? await startDevSandbox(env) : null;
  if (sandbox) stops.push(() => sandbox.stop());
  // The sandbox app listens on 127.0.0.1: its smoke URL must pass the seed's plan validation,
  // the web's and the worker's (they inherit it). Outside the sandbox smoke URLs must be public.
  if (sandbox) allowPrivateSmokeUrlsByDefault();
  await seed(database.url, secretKeyText, sandbox);
  const childVars = {
    DATABASE_URL: database.url,
    SWITCHYARD_SECRET_KEY: secretKeyText,
    PORT: String(env.PORT),
    WORKER_WS_PORT: String(env.WORKER_WS_PORT),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const processes = createProcessList(env.home);
  stops.push(async () => processes.remove());
  const children = startChildren(env, childEnv(childVars), processes);
  stops.push(async () => {
    for (const child of children.all) child.release();
    await Promise.all(children.all.map((child) => stopChild(child.current())));
  });
  await children.workerReady;
  await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`, 180_000);
  banner(env, sandbox);
}

function startDevSandbox(env: DevEnv): Promise<RunningSandbox> {
  say("sandbox: starting the Heroku emulator, its databases and the demo app…");
  return startSandbox({
    home: env.home,
    emulatorPort: env.SANDBOX_PORT,
    routerPort: env.SANDBOX_ROUTER_PORT,
    sourcePgPort: env.SANDBOX_SOURCE_PG_PORT,
    targetPgPort: env.SANDBOX_TARGET_PG_PORT,
    scaleMb: env.SANDBOX_SCALE_MB,
    faults: env.SANDBOX_FAULTS,
    restartMs: env.SANDBOX_RESTART_MS,
    say: (line) => say(`sandbox: ${line}`),
  });
}

async function warnAboutPgTools(url: string) {
  const major = await serverMajorVersion(url);
  for (const problem of await pgToolProblems(major)) say(`warning: ${problem} (needed to run cutovers)`);
}

async function seed(url: string, secretKeyText: string, sandbox: RunningSandbox | null) {
  const db = createDb(url, { max: 2 });
  try {
    const ctx = { db, actor: systemActor("seed"), now: () => new Date(), secretKey: parseSecretKey(secretKeyText) };
    const app = sandbox?.info.apps[0];
    await seedDemo({
      ctx,
      input: {
        emulatorUrl: sandbox?.info.emulatorUrl ?? "https://api.heroku.com",
        apiToken: sandbox?.info.apiToken ?? "replace-with-a-real-heroku-api-token",
        appName: app?.name ?? "switchyard-demo",
        targetDatabaseUrl: app?.targetDatabaseUrl,
        rehearsalDatabaseUrl: app?.rehearsalTargetDatabaseUrl,
        routerUrl: app?.routerUrl,
      },
    });
  } finally {
    await db.$disconnect();
  }
}

// Both children are kept running: one that dies on its own (a crash, an OOM kill) is started
// again, so a run in progress goes on and open dashboards reconnect. Ctrl-C stops them for good.
function startChildren(env: DevEnv, vars: NodeJS.ProcessEnv, processes: ReturnType<typeof createProcessList>) {
  const require = createRequire(import.meta.url);
  let markReady: () => void = () => undefined;
  const workerReady = new Promise<void>((resolve) => (markReady = resolve));
  const keep = (name: string, start: () => Child) =>
    supervise({
      name,
      start,
      say,
      onStart: (child, restarts) => processes.record(name, child.process.pid!, restarts),
      onGiveUp: (reason) => {
        if (shuttingDown) return;
        say(`${reason}; stopping everything`);
        void shutdown(1);
      },
    });
  const worker = keep("worker", () =>
    spawnChild("worker", process.execPath, ["--import", "tsx", "worker/main.ts"], vars, (line) => {
      if (line.includes("worker ready")) markReady();
    }),
  );
  const next = require.resolve("next/dist/bin/next");
  const web = keep("web", () => spawnChild("web", process.execPath, [next, "dev", "--port", String(env.PORT), "--hostname", "127.0.0.1"], vars));
  return { all: [web, worker], workerReady };
}

function banner(env: DevEnv, sandbox: RunningSandbox | null) {
  say("");
  say(`Switchyard is running: http://127.0.0.1:${env.PORT}`);
  if (sandbox) {
    say(`sandbox Heroku API: ${sandbox.info.emulatorUrl}`);
    for (const app of sandbox.info.apps) say(`sandbox app ${app.name}: ${app.routerUrl}`);
  }
  say(`demo logins (password "${DEMO_PASSWORD}"):`);
  for (const user of DEMO_USERS) say(`  ${user.role.padEnd(9)} ${user.email}`);
  say("press Ctrl-C to stop everything");
}

main().catch(async (err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `dev failed to start: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  await shutdown(1);
});
