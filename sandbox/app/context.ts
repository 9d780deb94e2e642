import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { AppEnv } from "./env";
import type { AppLog } from "./log";

/** What every request handler may use. */
export interface AppContext {
  env: AppEnv;
  pool: pg.Pool;
  log: AppLog;
  /** Literal secrets (the database password) to mask in anything sent back. */
  secrets: string[];
  startedAt: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: AppContext, params: string[]) => Promise<void>;
