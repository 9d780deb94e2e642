import { describe, expect, it } from "vitest";
import { auditVerifyEnv, rotateSecretsEnv } from "@/lib/env/cli";
import { devEnv } from "@/lib/env/dev";
import { ConfigError } from "@/lib/env/parse";
import { privateSmokeUrlsAllowed } from "@/lib/env/smoke-urls";
import { testEnv } from "@/lib/env/test";
import { parseWebEnv } from "@/lib/env/web";
import { workerEnv } from "@/lib/env/worker";
import { generateSecretKeyText } from "@/lib/security/secret-key";
import { sandboxEnv } from "@/sandbox/env";

// Hostile values in every process's environment (lib/env/*.ts, one schema per process): each
// parser stops with one short line naming the variable and what to fix, never another kind of
// error, never echoing a password, a key or 10 kB of text.
const KEY = generateSecretKeyText();
const DB = "postgresql://app:db-Pa55word@127.0.0.1:5432/switchyard";
const SECRETS = ["db-Pa55word", "s3cr3t-in-query", KEY];

const PARSERS: Record<string, { parse: (env: Record<string, string>) => unknown; valid: Record<string, string> }> = {
  web: { parse: parseWebEnv, valid: { DATABASE_URL: DB, SWITCHYARD_SECRET_KEY: KEY } },
  worker: { parse: workerEnv, valid: { DATABASE_URL: DB, SWITCHYARD_SECRET_KEY: KEY } },
  dev: { parse: devEnv, valid: {} },
  sandbox: { parse: sandboxEnv, valid: {} },
  "audit:verify": { parse: auditVerifyEnv, valid: { DATABASE_URL: DB } },
  "secrets:rotate": { parse: rotateSecretsEnv, valid: { DATABASE_URL: DB, SWITCHYARD_SECRET_KEY: KEY } },
  test: { parse: testEnv, valid: {} },
};

const HOSTILE_TEXT = ["x".repeat(10_240), "'; DROP TABLE users; --", "$(reboot) `id` | cat /etc/passwd", "名前🚀\u202e", "   ", "-1", "1e3", "0x50", "NaN"];

// What each variable must refuse, on top of the hostile text above (where that text is not a valid value).
const VARIABLES: Record<string, { in: string[]; refuse: string[] }> = {
  DATABASE_URL: { in: ["web", "worker", "dev", "audit:verify", "secrets:rotate"], refuse: ["file:///etc/passwd", "javascript:alert(1)", "mysql://app:db-Pa55word@h/db", "postgres://app:db-Pa55word@h", "postgres:///db", "mysql://h/db?password=s3cr3t-in-query&x=", "postgres://app:db-Pa55word@[::1/db"] },
  TEST_DATABASE_URL: { in: ["test"], refuse: ["http://app:db-Pa55word@h/db"] },
  SWITCHYARD_SECRET_KEY: { in: ["web", "worker", "dev", "secrets:rotate"], refuse: ["short", `${KEY}${KEY}`, KEY.slice(0, 40)] },
  SWITCHYARD_PREVIOUS_SECRET_KEYS: { in: ["secrets:rotate"], refuse: [`${KEY},not-a-key`] },
  PORT: { in: ["web", "dev"], refuse: ["0", "65536", "80.5", "http"] },
  WORKER_WS_PORT: { in: ["web", "worker", "dev"], refuse: ["0", "99999"] },
  SWITCHYARD_DB_PORT: { in: ["dev"], refuse: ["-5"] },
  SWITCHYARD_TEST_PG_PORT: { in: ["test"], refuse: ["70000"] },
  SANDBOX_PORT: { in: ["dev", "sandbox"], refuse: ["0"] },
  SANDBOX_SCALE_MB: { in: ["dev", "sandbox"], refuse: ["0", "1e9", "lots"] },
  SWITCHYARD_SANDBOX: { in: ["dev"], refuse: ["yes", "2"] },
  SWITCHYARD_PUBLIC_URL: { in: ["web"], refuse: ["javascript:alert(1)", "file:///etc/passwd", "not a url"] },
  SWITCHYARD_WORKER_WS_URL: { in: ["web"], refuse: ["http://127.0.0.1:3001/ws", "javascript:alert(1)"] },
  SWITCHYARD_TRUSTED_PROXIES: { in: ["web"], refuse: ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8/1", "::1/129", "10.0.0.1;rm -rf /"] },
  OIDC_ISSUER_URL: { in: ["web"], refuse: ["javascript:alert(1)", "ldap://corp"] },
  SMOKE_ALLOW_PRIVATE_URLS: { in: ["web", "worker", "dev"], refuse: ["maybe", "2"] },
  WORKER_POLL_MS: { in: ["worker"], refuse: ["0", "1e9", "soon"] },
  WORKER_HEARTBEAT_MS: { in: ["worker"], refuse: ["10"] },
  WORKER_STALE_AFTER_MS: { in: ["worker"], refuse: ["-1"] },
  LOG_LEVEL: { in: ["web", "worker"], refuse: ["verbose", "DEBUG"] },
  NODE_ENV: { in: ["web"], refuse: ["staging"] },
};

// Values that happen to be valid for a variable (free-form labels and paths, zod's number coercion).
const ALSO_VALID: Record<string, (v: string) => boolean> = {
  PORT: (v) => v === "1e3" || v === "0x50",
  WORKER_WS_PORT: (v) => v === "1e3" || v === "0x50",
  SWITCHYARD_DB_PORT: (v) => v === "1e3" || v === "0x50",
  SWITCHYARD_TEST_PG_PORT: (v) => v === "1e3" || v === "0x50",
  SANDBOX_PORT: (v) => v === "1e3" || v === "0x50",
  SANDBOX_SCALE_MB: (v) => v === "1e3" || v === "0x50",
  WORKER_POLL_MS: (v) => v === "1e3",
  WORKER_HEARTBEAT_MS: (v) => v === "1e3",
  WORKER_STALE_AFTER_MS: (v) => v === "1e3",
  SWITCHYARD_PREVIOUS_SECRET_KEYS: (v) => v.trim() === "",
  SWITCHYARD_TRUSTED_PROXIES: (v) => v.trim() === "",
};

function expectRefused(parse: () => unknown, processName: string, variable: string, value: string) {
  let error: unknown;
  try {
    parse();
  } catch (e) {
    error = e;
  }
  const label = `${processName}: ${variable}=${value.slice(0, 40)}`;
  expect(error, `${label} was accepted`).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message, label).toMatch(new RegExp(`^${processName}: ${variable} `));
  expect(message, `${label}: one line`).not.toContain("\n");
  expect(message.length, `${label}: short`).toBeLessThan(400);
  for (const secret of SECRETS) expect(message, `${label} echoes a secret`).not.toContain(secret);
}

describe("hostile values in the environment", () => {
  for (const [variable, spec] of Object.entries(VARIABLES)) {
    it(`${variable}: every process that reads it stops with one line naming it`, () => {
      for (const processName of spec.in) {
        const { parse, valid } = PARSERS[processName]!;
        expect(() => parse(valid), `${processName} with valid values`).not.toThrow();
        const values = [...spec.refuse, ...HOSTILE_TEXT.filter((v) => !ALSO_VALID[variable]?.(v))];
        for (const value of values) {
          if (["WORKER_ID", "WORKER_WORK_DIR"].includes(variable)) continue;
          expectRefused(() => parse({ ...valid, [variable]: value }), processName, variable, value);
        }
      }
    });
  }

  it("names a required variable that is missing", () => {
    expect(() => workerEnv({ SWITCHYARD_SECRET_KEY: KEY })).toThrow(/^worker: DATABASE_URL is required but not set$/);
    expect(() => parseWebEnv({ DATABASE_URL: DB })).toThrow(/^web: SWITCHYARD_SECRET_KEY is required but not set$/);
  });

  it("keeps free-form labels as data: a worker id full of metacharacters is only a name", () => {
    const id = "'; DROP TABLE cutover_runs; -- $(reboot) 名前";
    expect(workerEnv({ DATABASE_URL: DB, SWITCHYARD_SECRET_KEY: KEY, WORKER_ID: id }).WORKER_ID).toBe(id);
    expect(() => workerEnv({ DATABASE_URL: DB, SWITCHYARD_SECRET_KEY: KEY, WORKER_ID: "x".repeat(10_240) })).toThrow(/^worker: WORKER_ID /);
  });

  it("reads SWITCHYARD_TRUSTED_PROXIES as a list of addresses and ranges", () => {
    const web = (value?: string) => parseWebEnv({ DATABASE_URL: DB, SWITCHYARD_SECRET_KEY: KEY, ...(value === undefined ? {} : { SWITCHYARD_TRUSTED_PROXIES: value }) });
    expect(web().SWITCHYARD_TRUSTED_PROXIES).toEqual([]);
    expect(web(" 10.0.0.0/8, 192.168.1.7 ,::1,fd00::/8 ").SWITCHYARD_TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8"]);
  });

  it("treats a malformed SMOKE_ALLOW_PRIVATE_URLS as not allowed where a plan is validated", () => {
    expect(privateSmokeUrlsAllowed({})).toBe(false);
    expect(privateSmokeUrlsAllowed({ SMOKE_ALLOW_PRIVATE_URLS: "true" })).toBe(true);
    expect(privateSmokeUrlsAllowed({ SMOKE_ALLOW_PRIVATE_URLS: "maybe" })).toBe(false);
    expect(privateSmokeUrlsAllowed({ SMOKE_ALLOW_PRIVATE_URLS: "$(reboot)" })).toBe(false);
  });
});
