// Shared setup for the emulator tests: a fresh emulator on a free port with a temp state file,
// recorded hook events, and a small `api()` helper over real HTTP.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHooks, type EmulatorOptions, type HerokuEmulator, type SeedApp, startHerokuEmulator } from "@/sandbox/heroku/server";

export const TOKEN = "test-token-0123456789";

export type ReleaseEvent = Parameters<NonNullable<EmulatorHooks["onRelease"]>>[0];
export type FormationEvent = Parameters<NonNullable<EmulatorHooks["onFormation"]>>[0];

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** null = send no Authorization header. */
  token?: string | null;
}

export interface Harness {
  emu: HerokuEmulator;
  dir: string;
  stateFile: string;
  releases: ReleaseEvent[];
  formations: FormationEvent[];
  api(method: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  close(): Promise<void>;
}

/** The Appendix A world: `myapp` with rigid (DATABASE + YELLOW) and shaped (ONYX). */
export const MYAPP: SeedApp = {
  name: "myapp",
  config: { RAILS_ENV: "production", SECRET_KEY_BASE: "s3cr3t" },
  addons: [
    { name: "postgresql-rigid-71273", url: "postgres://u1:p1@rigid.example.com:5432/d1", attachAs: ["DATABASE", "HEROKU_POSTGRESQL_YELLOW"] },
    { name: "postgresql-shaped-12345", url: "postgres://u2:p2@shaped.example.com:5432/d2", attachAs: ["HEROKU_POSTGRESQL_ONYX"] },
  ],
};

export const RIGID_URL = "postgres://u1:p1@rigid.example.com:5432/d1";
export const SHAPED_URL = "postgres://u2:p2@shaped.example.com:5432/d2";
export const RDS_URL = "postgres://user:pw@rds.example.com:5432/app";

export async function callApi(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { Accept: "application/vnd.heroku+json; version=3", ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let body = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  const isJson = (res.headers.get("content-type") ?? "").startsWith("application/json");
  return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : text };
}

export async function startHarness(options: Partial<EmulatorOptions> & { seed?: SeedApp[]; dir?: string } = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "heroku-emu-"));
  const stateFile = join(dir, "state.json");
  const releases: ReleaseEvent[] = [];
  const formations: FormationEvent[] = [];
  const hooks: EmulatorHooks = {
    onRelease: (e) => void releases.push(e),
    onFormation: (e) => void formations.push(e),
    ...options.hooks,
  };
  const emu = await startHerokuEmulator({ port: 0, stateFile, apiToken: TOKEN, ...options, hooks });
  for (const app of options.seed ?? []) emu.seedApp(app);
  return {
    emu, dir, stateFile, releases, formations,
    api: (method, path, callOptions) => callApi(emu.url, method, path, callOptions),
    close: async () => {
      await emu.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Latest release via the same call the CLI makes after attach/detach. */
export async function latestRelease(h: Harness): Promise<{ version: number; description: string; id: string; status: string }> {
  const res = await h.api("GET", "/apps/myapp/releases", { headers: { Range: "version ..; max=1, order=desc" } });
  return res.body[0];
}
