import { z } from "zod";
import { parseEnv } from "./parse";
import { addressList, logLevel, port, postgresUrl, secretKey, urlWithScheme } from "./fields";
import { allowPrivateSmokeUrls } from "./smoke-urls";

const WebEnv = z.object({
  DATABASE_URL: postgresUrl,
  SWITCHYARD_SECRET_KEY: secretKey,
  /** Old keys, comma-separated, still accepted for reading until `npm run secrets:rotate` re-seals everything. */
  SWITCHYARD_PREVIOUS_SECRET_KEYS: z.string().optional(),
  /** Where browsers reach the worker's websocket server, e.g. ws://localhost:3001/ws. */
  SWITCHYARD_WORKER_WS_URL: urlWithScheme(["ws:", "wss:"], "must be a ws:// or wss:// URL").optional(),
  WORKER_WS_PORT: port.default(3001),
  PORT: port.default(3000),
  /** The dashboard's public origin; sign-in cookies and CSRF checks are bound to it. */
  SWITCHYARD_PUBLIC_URL: urlWithScheme(["https:", "http:"], "must be the dashboard's URL, e.g. https://switchyard.example.com").optional(),
  /**
   * The reverse proxies in front of the web process: a client's address (sign-in rate limits) is the
   * last `X-Forwarded-For` entry not in this list. Unset: the header is taken only when it holds one address.
   */
  SWITCHYARD_TRUSTED_PROXIES: addressList.default([]),
  /** OpenID Connect sign-in, enabled when all three are set. */
  OIDC_ISSUER_URL: urlWithScheme(["https:", "http:"], "must be the issuer URL of your OpenID provider").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(40).default("SSO"),
  /** Plans may name smoke URLs on loopback, private and link-local addresses (the local sandbox); off in production. */
  SMOKE_ALLOW_PRIVATE_URLS: allowPrivateSmokeUrls,
  LOG_LEVEL: logLevel.default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXT_RUNTIME: z.string().optional(),
});
export type WebEnv = z.infer<typeof WebEnv> & { publicUrl: string };

let cached: WebEnv | undefined;

/** The web process's configuration, parsed once. */
export function webEnv(): WebEnv {
  cached ??= parseWebEnv(process.env);
  return cached;
}

/** Parses a web environment (for webEnv, and for tests with other values). */
export function parseWebEnv(source: Record<string, string | undefined>): WebEnv {
  const env = parseEnv("web", WebEnv, source);
  return { ...env, publicUrl: (env.SWITCHYARD_PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/$/, "") };
}
