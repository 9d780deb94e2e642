import path from "node:path";
import { z } from "zod";
import { parseEnv } from "./parse";
import { port, postgresUrl, secretKey } from "./fields";
import { allowPrivateSmokeUrls } from "./smoke-urls";
import { SandboxEnvFields } from "@/sandbox/env";

const DevEnv = z.object({
  ...SandboxEnvFields,
  /** When set, Switchyard uses this server instead of starting an embedded one. */
  DATABASE_URL: postgresUrl.optional(),
  SWITCHYARD_DB_PORT: port.default(26432),
  SWITCHYARD_SECRET_KEY: secretKey.optional(),
  PORT: port.default(3000),
  WORKER_WS_PORT: port.default(3001),
  /** "0" skips the sandbox, e.g. when pointing at real Heroku. */
  SWITCHYARD_SANDBOX: z.enum(["0", "1"], { message: "must be 0 or 1" }).default("1"),
  /** Unset: true with the sandbox (its app is on 127.0.0.1), false without. */
  SMOKE_ALLOW_PRIVATE_URLS: allowPrivateSmokeUrls.optional(),
});
export type DevEnv = z.infer<typeof DevEnv> & { home: string };

/** Configuration of `npm run dev` and the other local scripts. */
export function devEnv(source: Record<string, string | undefined> = process.env): DevEnv {
  const env = parseEnv("dev", DevEnv, source);
  return { ...env, home: path.resolve(env.SWITCHYARD_HOME) };
}

/** The environment handed to child processes: this one plus overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
