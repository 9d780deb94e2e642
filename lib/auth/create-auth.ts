import { hkdfSync } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { Db } from "@/lib/db/client";
import { hashPassword, verifyPassword } from "@/lib/security/password";
import type { SecretKey } from "@/lib/security/secret-key";

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The label on the sign-in button, e.g. "Okta". */
  name: string;
}

export interface AuthConfig {
  db: Db;
  secretKey: SecretKey;
  /** The dashboard's public origin, e.g. https://switchyard.example.com. */
  baseUrl: string;
  trustedOrigins: string[];
  secureCookies: boolean;
  oidc?: OidcConfig;
  /** Reverse proxies whose X-Forwarded-For entries are skipped to find the client (SWITCHYARD_TRUSTED_PROXIES). */
  trustedProxies?: string[];
}

export const OIDC_PROVIDER_ID = "sso";

// The session-signing secret is derived from the one key Switchyard already has.
function authSecret(key: SecretKey): string {
  return Buffer.from(hkdfSync("sha256", key.bytes, Buffer.alloc(0), "switchyard auth v1", 32)).toString("base64");
}

/**
 * Sign-in for the web process (better-auth): admins create password accounts (no self sign-up),
 * SSO users arrive as viewers, sessions live in the database behind an HTTP-only cookie, and
 * sign-in attempts are rate limited.
 */
export function createAuth(config: AuthConfig) {
  return betterAuth({
    appName: "Switchyard",
    baseURL: config.baseUrl,
    secret: authSecret(config.secretKey),
    trustedOrigins: config.trustedOrigins,
    database: prismaAdapter(config.db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 200,
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(password, hash) },
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "viewer" },
        disabledAt: { type: "date", required: false, input: false },
      },
    },
    session: { expiresIn: 12 * 3600, updateAge: 3600 },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 5 } },
    },
    advanced: {
      useSecureCookies: config.secureCookies,
      ...(config.trustedProxies?.length ? { ipAddress: { trustedProxies: config.trustedProxies } } : {}),
      cookiePrefix: "switchyard",
      database: { generateId: "uuid" },
    },
    plugins: [
      ...(config.oidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: OIDC_PROVIDER_ID,
                  name: config.oidc.name,
                  discoveryUrl: `${config.oidc.issuerUrl.replace(/\/$/, "")}/.well-known/openid-configuration`,
                  clientId: config.oidc.clientId,
                  clientSecret: config.oidc.clientSecret,
                  scopes: ["openid", "email", "profile"],
                  pkce: true,
                },
              ],
            }),
          ]
        : []),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
