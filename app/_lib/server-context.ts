import "server-only";
import { createAuth, type Auth } from "@/lib/auth/create-auth";
import { actorForApiToken } from "@/lib/auth/api-tokens";
import { systemActor, type Actor, type Ctx } from "@/lib/context";
import { createDb, type Db } from "@/lib/db/client";
import { webEnv } from "@/lib/env/web";
import type { Role } from "@/lib/generated/prisma/enums";
import { parseKeyring } from "@/lib/security/keyring";
import type { SecretKey } from "@/lib/security/secret-key";

// One client and one auth instance per server process; `next dev` re-evaluates modules, so keep them on globalThis.
const holder = globalThis as unknown as { __switchyard?: { db: Db; auth: Auth; secretKey: SecretKey } };

function server() {
  if (!holder.__switchyard) {
    const env = webEnv();
    const db = createDb(env.DATABASE_URL);
    const secretKey = parseKeyring(env.SWITCHYARD_SECRET_KEY, env.SWITCHYARD_PREVIOUS_SECRET_KEYS);
    const oidc = env.OIDC_ISSUER_URL && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
      ? { issuerUrl: env.OIDC_ISSUER_URL, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET, name: env.OIDC_NAME }
      : undefined;
    const auth = createAuth({ db, secretKey, baseUrl: env.publicUrl, trustedOrigins: trustedOrigins(env.publicUrl), secureCookies: env.publicUrl.startsWith("https:"), oidc, trustedProxies: env.SWITCHYARD_TRUSTED_PROXIES });
    holder.__switchyard = { db, auth, secretKey };
  }
  return holder.__switchyard;
}

/** The public origin plus its loopback twins in development, where both spellings are used. */
export function trustedOrigins(publicUrl = webEnv().publicUrl): string[] {
  const url = new URL(publicUrl);
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") return [url.origin];
  return [`${url.protocol}//127.0.0.1:${url.port}`, `${url.protocol}//localhost:${url.port}`];
}

export const auth = () => server().auth;

/** Who is asking: a personal API token, else the session cookie, else nobody (the web actor). */
export async function actorFor(headers: Headers): Promise<Actor> {
  const { db } = server();
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) return (await actorForApiToken(db, bearer, new Date())) ?? systemActor("web");
  const session = await server().auth.api.getSession({ headers });
  const user = session?.user as { id: string; email: string; role?: string; disabledAt?: Date | null } | undefined;
  if (!user || user.disabledAt) return systemActor("web");
  return { type: "user", id: user.id, email: user.email, role: (user.role ?? "viewer") as Role };
}

/** The context for a request's verbs. */
export async function requestContext(headers: Headers): Promise<Ctx> {
  const { db, secretKey } = server();
  return { db, actor: await actorFor(headers), now: () => new Date(), secretKey };
}
