import "server-only";
import { createDb, type Db } from "@/lib/db/client";
import { webEnv } from "@/lib/env/web";
import { systemActor, type Ctx } from "@/lib/context";
import { parseSecretKey } from "@/lib/security/secret-key";

// One client per server process; `next dev` re-evaluates modules, so keep it on globalThis.
const holder = globalThis as unknown as { __switchyardDb?: Db };

function db(): Db {
  holder.__switchyardDb ??= createDb(webEnv().DATABASE_URL);
  return holder.__switchyardDb;
}

/** The context for a request. Until sign-in exists every request acts as the web process. */
export function webContext(): Ctx {
  return { db: db(), actor: systemActor("web"), now: () => new Date(), secretKey: parseSecretKey(webEnv().SWITCHYARD_SECRET_KEY) };
}
