import type pg from "pg";
import type { Db } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import type { SecretKey } from "@/lib/security/secret-key";
import type { LogWriter } from "../logs/log-writer";

/** Everything the engine needs from its process, built once in worker/main.ts. */
export interface EngineDeps {
  db: Db;
  /** Raw connections: advisory locks (held for a whole run) and the log writer. */
  pool: pg.Pool;
  logs: LogWriter;
  secretKey: SecretKey;
  workerId: string;
  log: Logger;
  /** Parent folder for dump directories. */
  workDir: string;
  heartbeatMs: number;
  /** A run whose heartbeat is older than this is taken over by another worker. */
  staleAfterMs: number;
  /** Whether smoke checks may call internal addresses (SMOKE_ALLOW_PRIVATE_URLS). */
  allowPrivateSmokeUrls?: boolean;
  now: () => Date;
}
