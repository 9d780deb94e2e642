import os, { hostname } from "node:os";
import { z } from "zod";
import { parseEnv } from "./parse";
import { logLevel, port, postgresUrl, secretKey, urlWithScheme } from "./fields";
import { allowPrivateSmokeUrls } from "./smoke-urls";

const WorkerEnv = z.object({
  DATABASE_URL: postgresUrl,
  SWITCHYARD_SECRET_KEY: secretKey,
  /** Old keys, comma-separated, still accepted for reading until `npm run secrets:rotate` re-seals everything. */
  SWITCHYARD_PREVIOUS_SECRET_KEYS: z.string().optional(),
  WORKER_WS_PORT: port.default(3001),
  WORKER_WS_HOST: z.string().default("127.0.0.1"),
  /** Unique per worker process; shows in claimed_by and logs. */
  WORKER_ID: z.string().min(1).max(200).default(`${hostname()}:${process.pid}`),
  WORKER_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How often a running run proves its worker is alive, and after how long another takes over. */
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(3_000),
  WORKER_STALE_AFTER_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  /** Parent folder for dump directories (needs room only for the parallel dump's working set). */
  WORKER_WORK_DIR: z.string().min(1).default(os.tmpdir()),
  /** Smoke checks may call loopback, private and link-local addresses (the local sandbox); off in production. */
  SMOKE_ALLOW_PRIVATE_URLS: allowPrivateSmokeUrls,
  /** The dashboard's public URL (as the web's); notifications link to it when set. */
  SWITCHYARD_PUBLIC_URL: urlWithScheme(["https:", "http:"], "must be the dashboard's URL, e.g. https://switchyard.example.com").optional(),
  LOG_LEVEL: logLevel.default("info"),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

/** The worker process's configuration; call once at boot. */
export function workerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv("worker", WorkerEnv, source);
}
