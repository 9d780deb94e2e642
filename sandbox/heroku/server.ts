// The Heroku emulator: Platform API + Heroku Postgres data API on one local port, with state
// persisted to a JSON file, hooks for the dyno manager and fault injection for rehearsals.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PlainVarCollision } from "./attachments";
import { type DatabaseFacts, createContext, formationOf } from "./context";
import { createDispatcher } from "./dispatch";
import { type FaultRule, createFaultInjector } from "./faults";
import { adminRoutes } from "./routes-admin";
import { addonRoutes } from "./routes-addons";
import { appRoutes } from "./routes-apps";
import { attachmentRoutes } from "./routes-attachments";
import { dataRoutes } from "./routes-data";
import { dynoRoutes } from "./routes-dynos";
import { formationRoutes } from "./routes-formation";
import { logSessionRoutes } from "./routes-log-sessions";
import type { OneOffRunner } from "./one-off";
import { SeedApp, seedApp } from "./seed";
import { type AppRecord, type EmulatorState, effectiveConfig, emptyState, findApp } from "./state";
import { createStateStore } from "./store";

export type { FaultRule } from "./faults";
export { parseFaultsEnv } from "./faults";
export type { SeedApp } from "./seed";
export type { PlainVarCollision } from "./attachments";
export type { OneOffDyno, OneOffRequest, OneOffRunner } from "./one-off";
export { LogBuffer } from "./log-buffer";

type FormationEntry = { type: string; quantity: number; size: string };

export interface EmulatorHooks {
  /** Called after every release-producing change (config var change, attach, detach); the dyno manager restarts dynos with the new effective config. */
  onRelease?(event: { app: string; version: number; description: string; config: Record<string, string> }): void | Promise<void>;
  /** Called after the formation changes (scale) or on DELETE /apps/{app}/dynos|formations/{type} restarts. */
  onFormation?(event: { app: string; formation: FormationEntry[]; restart?: string[] }): void | Promise<void>;
  /** The app's running dynos and the release each runs, for GET /apps/{app}/dynos; default: the formation, all up on the current release. */
  listDynos?(app: string): Array<{ name: string; type: string; state: "starting" | "up" | "down" | "crashed"; releaseVersion: number }>;
  /** Who runs the app's one-off dynos (POST /apps/{app}/dynos) and keeps its log for log sessions; none = 422. */
  oneOffDynos?(app: string): OneOffRunner | undefined;
  /** Optional: real size facts for the data API's database info; default is static numbers. */
  databaseInfo?(addon: { id: string; name: string; url: string }): Promise<DatabaseFacts>;
}

export interface EmulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port: number;
  stateFile: string;
  apiToken: string;
  hooks?: EmulatorHooks;
  faults?: FaultRule[];
  /** Attaching over a plain `<NAME>_URL` var: "confirm" (default) or "shadow"; see attachments.ts. */
  plainVarCollision?: PlainVarCollision;
  /** Seed of the generator behind fault `rate`s (default 1). */
  faultSeed?: number;
}

export interface HerokuEmulator {
  url: string;
  close(): Promise<void>;
  /** Idempotent by app name: an existing app is left as is. */
  seedApp(app: SeedApp): void;
  /** Empty state, saved. */
  reset(): void;
  app(name: string): { id: string; name: string; maintenance: boolean } | undefined;
  effectiveConfig(name: string): Record<string, string>;
  formation(name: string): FormationEntry[];
  releases(name: string): Array<{ version: number; description: string }>;
  setFaults(rules: FaultRule[]): void;
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export async function startHerokuEmulator(opts: EmulatorOptions): Promise<HerokuEmulator> {
  const store = createStateStore(opts.stateFile);
  let state: EmulatorState = store.load();
  let url = "";
  const faults = createFaultInjector(opts.faults ?? [], opts.faultSeed ?? 1);
  const ctx = createContext({
    state: () => state, baseUrl: () => url, hooks: opts.hooks ?? {}, apiToken: opts.apiToken,
    plainVarCollision: opts.plainVarCollision ?? "confirm",
  });
  const save = () => store.save(state);
  const reset = () => { state = emptyState(); save(); };
  const seed = (app: SeedApp) => { seedApp(state, SeedApp.parse(app)); save(); };
  const routes = [
    ...appRoutes(ctx), ...formationRoutes(ctx), ...addonRoutes(ctx), ...attachmentRoutes(ctx), ...dataRoutes(ctx),
    ...dynoRoutes(ctx), ...logSessionRoutes(ctx),
    ...adminRoutes({ faults, state: () => state, reset, seed }),
  ];
  const dispatch = createDispatcher({ routes, apiToken: opts.apiToken, faults, afterMutation: save });
  // Large header limit: the CLI's Request-Id grows with every request it has made (up to ~7 KB).
  const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => void dispatch(req, res));
  url = await listen(server, opts.port, opts.host ?? "127.0.0.1");

  const appNamed = (name: string): AppRecord => {
    const app = findApp(state, name);
    if (!app) throw new Error(`The Heroku emulator has no app named ${name}.`);
    return app;
  };
  return {
    url,
    close: () => closeServer(server),
    seedApp: seed,
    reset,
    app: (name) => {
      const app = findApp(state, name);
      return app && { id: app.id, name: app.name, maintenance: app.maintenance };
    },
    effectiveConfig: (name) => effectiveConfig(state, appNamed(name)),
    formation: (name) => formationOf(appNamed(name)),
    releases: (name) => appNamed(name).releases.map(({ version, description }) => ({ version, description })),
    setFaults: (rules) => faults.set(rules),
  };
}
