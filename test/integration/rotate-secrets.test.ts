import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { childProcessEnv } from "@/lib/child-env";
import { systemActor } from "@/lib/context";
import { parseKeyring } from "@/lib/security/keyring";
import { rotateSecrets } from "@/lib/security/rotate-secrets";
import { generateSecretKeyText, parseSecretKey, type SecretKey } from "@/lib/security/secret-key";
import { readSecret, storeSecret } from "@/lib/security/secret-store";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();
const textB = generateSecretKeyText();
const keyB = parseSecretKey(textB);

function runCli(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/rotate-secrets.ts"], {
    env: childProcessEnv({ PATH: process.env.PATH, HOME: process.env.HOME, ...env }),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

async function store(key: SecretKey, values: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const value of values) ids.set(await t.db.$transaction((tx) => storeSecret(tx, key, "test.value", value)), value);
  return ids;
}

const rotateEvents = () => t.db.auditEvent.findMany({ where: { action: "secret.rotate" }, orderBy: { id: "asc" } });

describe("secret rotation", () => {
  it("re-seals every secret under the new key in audited batches, then has nothing left to do", async () => {
    const keyA = t.ctx().secretKey;
    const old = await store(keyA, ["postgres://u:rot-pass-1@h/db", "heroku-token-rot-2", "rot-value-3", "rot-value-4", "rot-value-5"]);
    const fresh = await store(keyB, ["already-new-6"]);
    const ctx = { ...t.ctx(systemActor("cli")), secretKey: parseKeyring(textB, t.secretKeyText) };

    expect(await rotateSecrets({ ctx, input: { batchSize: 2 } })).toEqual({ rotated: 5, alreadyCurrent: 1 });

    const rows = await t.db.secret.findMany();
    expect(rows.every((r) => r.keyId === keyB.id)).toBe(true);
    for (const row of rows) expect(row.rotatedAt !== null).toBe(old.has(row.id));
    // The new key alone opens everything; the old key alone no longer opens anything.
    for (const [id, value] of [...old, ...fresh]) expect(await readSecret(t.db, keyB, id)).toBe(value);
    await expect(readSecret(t.db, keyA, [...old.keys()][0]!)).rejects.toThrow(/add that old key to SWITCHYARD_PREVIOUS_SECRET_KEYS/);

    // Three batches of at most two: three events, naming ids and the old key id, never a value.
    const events = await rotateEvents();
    expect(events).toHaveLength(3);
    const listed = events.flatMap((e) => (e.metadata as { rotated: { id: string; fromKeyId: string }[] }).rotated);
    expect(listed.map((r) => r.id).sort()).toEqual([...old.keys()].sort());
    expect(new Set(listed.map((r) => r.fromKeyId))).toEqual(new Set([keyA.id]));
    for (const e of events) {
      expect(e).toMatchObject({ actor: "system:cli", entityType: "secret_key", entityId: keyB.id });
      expect(e.metadata).toMatchObject({ toKeyId: keyB.id, fromKeyIds: [keyA.id] });
    }
    const text = JSON.stringify(events, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    for (const value of [...old.values(), ...fresh.values()]) expect(text).not.toContain(value);
    expect(text).not.toContain("rot-pass-1");
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });

    expect(await rotateSecrets({ ctx })).toEqual({ rotated: 0, alreadyCurrent: 6 });
    expect(await rotateEvents()).toHaveLength(3);
  });

  it("refuses, rotating nothing, while a secret's key is missing from the ring", async () => {
    const keyC = parseSecretKey(generateSecretKeyText());
    const [orphan] = (await store(keyC, ["orphan-value"])).keys();
    const before = await t.db.secret.findMany({ orderBy: { id: "asc" } });
    const ctx = { ...t.ctx(systemActor("cli")), secretKey: parseKeyring(generateSecretKeyText(), textB) };
    await expect(rotateSecrets({ ctx })).rejects.toThrow(
      new RegExp(`secret ${orphan} was sealed with key ${keyC.id}, .*add that old key to SWITCHYARD_PREVIOUS_SECRET_KEYS`),
    );
    expect(await t.db.secret.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    await t.db.$executeRaw`DELETE FROM secrets WHERE id = ${orphan}::uuid`;
  });

  it("npm run secrets:rotate prints a summary and is safe to run twice", async () => {
    const total = await t.db.secret.count();
    const textD = generateSecretKeyText();
    const env = { DATABASE_URL: t.url, SWITCHYARD_SECRET_KEY: textD, SWITCHYARD_PREVIOUS_SECRET_KEYS: `${t.secretKeyText},${textB}` };
    const keyD = parseSecretKey(textD);

    const first = runCli(env);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toBe(`secrets sealed with key ${keyD.id}: ${total} rotated, 0 already current`);
    expect(await t.db.secret.count({ where: { keyId: keyD.id } })).toBe(total);
    const last = (await rotateEvents()).at(-1)!;
    expect(last.actor).toBe("system:cli");

    const second = runCli(env);
    expect(second).toMatchObject({ code: 0, stdout: `secrets sealed with key ${keyD.id}: 0 rotated, ${total} already current` });
  }, 120_000);

  it("npm run secrets:rotate: configuration and key problems are one line", () => {
    const malformed = runCli({ DATABASE_URL: t.url, SWITCHYARD_SECRET_KEY: textB, SWITCHYARD_PREVIOUS_SECRET_KEYS: `${textB},bogus` });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^secrets:rotate: SWITCHYARD_PREVIOUS_SECRET_KEYS entry 2 of 2 must be 32 bytes in base64[^\n]*$/);

    const missing = runCli({ DATABASE_URL: t.url, SWITCHYARD_SECRET_KEY: textB });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^secrets:rotate failed: secret \S+ was sealed with key \w+, .*SWITCHYARD_PREVIOUS_SECRET_KEYS$/);
  }, 120_000);
});
