import path from "node:path";
import { z } from "zod";
import { port } from "@/lib/env/fields";
import { parseEnv } from "@/lib/env/parse";

const restartMs = z.coerce
  .number({ message: "must be a number of milliseconds" })
  .int("must be a whole number of milliseconds")
  .min(0, "must not be negative")
  .max(600_000, "must be at most 600000 (10 minutes)");

/** Sandbox settings, shared by `npm run sandbox` and `npm run dev` (which starts the sandbox too). */
export const SandboxEnvFields = {
  SWITCHYARD_HOME: z.string().min(1).default(".switchyard"),
  /** The Heroku emulator (Platform API and data API). */
  SANDBOX_PORT: port.default(5100),
  /** The router in front of the demo app's web dynos. */
  SANDBOX_ROUTER_PORT: port.default(5101),
  /** The "Heroku Postgres" server and the migration target ("RDS") server. */
  SANDBOX_SOURCE_PG_PORT: port.default(26433),
  SANDBOX_TARGET_PG_PORT: port.default(26434),
  /** Approximate size of the demo database in MB. */
  SANDBOX_SCALE_MB: z.coerce.number({ message: "must be a number of megabytes" }).min(1, "must be at least 1").max(100_000).default(50),
  /** Fault rules for the emulator, as JSON (see sandbox/heroku/faults.ts). */
  SANDBOX_FAULTS: z.string().optional(),
  /** How long each dyno takes to boot on a restart, scale-up or release (it stays `starting` at least this long). */
  SANDBOX_RESTART_MS: restartMs.default(1500),
};

const SandboxEnv = z.object(SandboxEnvFields);
export type SandboxEnv = z.infer<typeof SandboxEnv> & { home: string };

export function sandboxEnv(source: Record<string, string | undefined> = process.env): SandboxEnv {
  const env = parseEnv("sandbox", SandboxEnv, source);
  return { ...env, home: path.resolve(env.SWITCHYARD_HOME) };
}

/** The only host variables a dyno inherits: enough to find Node; everything else is the app's config. */
export function dynoBaseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
}
