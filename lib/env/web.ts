import { z } from "zod";
import { parseEnv } from "./parse";
import { logLevel, port, postgresUrl, secretKey } from "./fields";

const WebEnv = z.object({
  DATABASE_URL: postgresUrl,
  SWITCHYARD_SECRET_KEY: secretKey,
  /** Where browsers reach the worker's websocket server, e.g. ws://localhost:3001/ws. */
  SWITCHYARD_WORKER_WS_URL: z.string().url("must be a ws:// or wss:// URL").optional(),
  WORKER_WS_PORT: port.default(3001),
  LOG_LEVEL: logLevel.default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXT_RUNTIME: z.string().optional(),
});
export type WebEnv = z.infer<typeof WebEnv>;

let cached: WebEnv | undefined;

/** The web process's configuration, parsed once. */
export function webEnv(): WebEnv {
  cached ??= parseEnv("web", WebEnv, process.env);
  return cached;
}
