import { mkdir, rm, writeFile } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { parseFaultsEnv, startHerokuEmulator, type HerokuEmulator } from "./heroku/server";
import { loadCredentials } from "./credentials";
import { startSandboxDatabases } from "./databases";
import { seedSourceDatabase } from "./dataset/seed";
import { DynoManager } from "./dynos/dyno-manager";
import { openLog } from "./dynos/dyno-process";
import { OneOffDynos } from "./dynos/one-off-dynos";
import type { SandboxInfo } from "./info";
import { startRouter } from "./router";

export const SANDBOX_APP = "switchyard-demo";
export const SANDBOX_ADDON = "postgresql-sandbox-71273";

export interface SandboxOptions {
  home: string;
  emulatorPort: number;
  routerPort: number;
  sourcePgPort: number;
  targetPgPort: number;
  scaleMb: number;
  faults?: string;
  /** How long each dyno takes to boot on a restart (SANDBOX_RESTART_MS); the API answers before. */
  restartMs: number;
  say?: (line: string) => void;
}

export interface RunningSandbox {
  info: SandboxInfo;
  emulator: HerokuEmulator;
  /** Restarts the "RDS" server (same port and data): the fault suite's server restart mid-copy. */
  restartTarget(): Promise<void>;
  stop(): Promise<void>;
}

/** Brings up the whole rehearsal environment: two databases, the emulator, dynos and router. */
export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const say = opts.say ?? (() => undefined);
  const dir = path.join(opts.home, "sandbox");
  await mkdir(path.join(dir, "logs"), { recursive: true });
  const creds = await loadCredentials(dir);
  const dbs = await startSandboxDatabases(dir, { source: opts.sourcePgPort, target: opts.targetPgPort }, creds);
  const stops: Array<() => Promise<unknown>> = [() => dbs.stop()];
  try {
    await seedSourceDatabase(dbs.sourceUrl, { scaleMb: opts.scaleMb, onProgress: (m) => say(`dataset: ${m}`) });
    const dynos = new DynoManager({ app: SANDBOX_APP, log: openLog(path.join(dir, "logs", `${SANDBOX_APP}.log`)), say, restartMs: opts.restartMs });
    stops.unshift(() => dynos.stop());
    // One-off dynos append to the same log file through their own stream (O_APPEND keeps lines whole).
    const oneOffLog = openLog(path.join(dir, "logs", `${SANDBOX_APP}.log`));
    const oneOffs = new OneOffDynos({ app: SANDBOX_APP, log: oneOffLog });
    stops.unshift(async () => { await oneOffs.stopAll(); oneOffLog.end(); });
    const emulator = await startHerokuEmulator({
      port: opts.emulatorPort,
      stateFile: path.join(dir, "heroku-state.json"),
      apiToken: creds.apiToken,
      faults: opts.faults ? parseFaultsEnv(opts.faults) : [],
      hooks: {
        // Not awaited, as on Heroku: the API answers at once and the dynos restart in the background.
        onRelease: (e) => void (e.app === SANDBOX_APP && inBackground(dynos.release(e.config, undefined, e.version))),
        listDynos: (app) => (app === SANDBOX_APP ? dynos.list() : []),
        oneOffDynos: (app) => (app === SANDBOX_APP ? oneOffs : undefined),
        onFormation: (e) => {
          if (e.app !== SANDBOX_APP) return;
          inBackground(e.restart ? dynos.release(emulator.effectiveConfig(SANDBOX_APP), e.restart) : dynos.scale(e.formation));
        },
      },
    });
    stops.unshift(() => emulator.close());
    emulator.seedApp({
      name: SANDBOX_APP,
      formation: [{ type: "web", quantity: 1 }, { type: "worker", quantity: 1 }],
      addons: [{ name: SANDBOX_ADDON, url: dbs.sourceUrl, attachAs: ["DATABASE"] }],
    });
    // The first boot is awaited and not slowed down: the sandbox is ready when this returns.
    await dynos.scale(emulator.formation(SANDBOX_APP), emulator.effectiveConfig(SANDBOX_APP), emulator.releases(SANDBOX_APP).at(-1)?.version ?? 0, 0);
    const router = await startRouter({
      port: opts.routerPort,
      appName: SANDBOX_APP,
      maintenance: () => emulator.app(SANDBOX_APP)?.maintenance ?? false,
      webPorts: () => dynos.webPorts(),
    });
    stops.unshift(() => closeServer(router));
    const info = sandboxInfo(emulator.url, creds.apiToken, opts.routerPort, dbs);
    await writeFile(path.join(opts.home, "sandbox.json"), JSON.stringify(info, null, 2), { mode: 0o600 });
    return { info, emulator, restartTarget: () => dbs.restartTarget(), stop: () => runAll(stops) };
  } catch (err) {
    await runAll(stops);
    throw err;
  }
}

const inBackground = (work: Promise<void>) => void work.catch((err: Error) => console.error(`[sandbox] dyno restart failed: ${err.message}`));

function sandboxInfo(emulatorUrl: string, apiToken: string, routerPort: number, dbs: { sourceUrl: string; targetUrl: string; rehearsalUrl: string }): SandboxInfo {
  return {
    emulatorUrl,
    apiToken,
    apps: [
      {
        name: SANDBOX_APP,
        routerUrl: `http://127.0.0.1:${routerPort}`,
        sourceAddon: SANDBOX_ADDON,
        sourceDatabaseUrl: dbs.sourceUrl,
        targetDatabaseUrl: dbs.targetUrl,
        rehearsalTargetDatabaseUrl: dbs.rehearsalUrl,
      },
    ],
  };
}

async function runAll(stops: Array<() => Promise<unknown>>): Promise<void> {
  for (const stop of stops) await stop().catch(() => undefined);
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Forgets everything: emulator state, both databases, credentials. Nothing may be running. */
export async function resetSandbox(home: string): Promise<void> {
  await rm(path.join(home, "sandbox"), { recursive: true, force: true });
  await rm(path.join(home, "sandbox.json"), { force: true });
}
