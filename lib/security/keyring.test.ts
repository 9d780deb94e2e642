import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { seal } from "./cipher";
import { keyForId, parseKeyring, ringKeys } from "./keyring";
import { generateSecretKeyText, parseSecretKey } from "./secret-key";
import { readSecret, secretAad } from "./secret-store";

const textA = generateSecretKeyText();
const textB = generateSecretKeyText();
const textC = generateSecretKeyText();
const [keyA, keyB, keyC] = [textA, textB, textC].map(parseSecretKey);

/** Just enough of a Prisma client for readSecret to load one row. */
function oneRowDb(row: object): Db {
  return { secret: { findUniqueOrThrow: async () => row } } as unknown as Db;
}

function sealedRow(key: typeof keyA, value: string) {
  const id = "3f1c7a52-0000-4000-8000-000000000001";
  const purpose = "heroku.api_token";
  return { id, purpose, ...seal(key, value, secretAad(id, purpose)) };
}

describe("parseKeyring", () => {
  it("parses the current key alone", () => {
    const ring = parseKeyring(textB);
    expect(ring.id).toBe(keyB.id);
    expect(ring.previous).toBeUndefined();
    expect(ringKeys(ring).map((k) => k.id)).toEqual([keyB.id]);
  });

  it("parses comma-separated previous keys, ignoring spaces, empty entries and the current key", () => {
    const ring = parseKeyring(textB, ` ${textA} ,${textC},, ${textB}, ${textA}`);
    expect(ring.id).toBe(keyB.id);
    expect(ring.previous!.map((k) => k.id)).toEqual([keyA.id, keyC.id]);
    expect(parseKeyring(textB, "").previous).toBeUndefined();
  });

  it("names the malformed previous entry by position without echoing it", () => {
    let message = "";
    try {
      parseKeyring(textB, `${textA},not-a-key-at-all,${textC}`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^SWITCHYARD_PREVIOUS_SECRET_KEYS entry 2 of 3 must be 32 bytes in base64/);
    expect(message).not.toContain("not-a-key-at-all");
  });

  it("names SWITCHYARD_SECRET_KEY when the current key is malformed", () => {
    expect(() => parseKeyring("c2hvcnQ=", textA)).toThrow(/^SWITCHYARD_SECRET_KEY must be 32 bytes in base64/);
  });
});

describe("opening secrets with a keyring", () => {
  it("opens a secret sealed with a previous key, and one sealed with the current key", async () => {
    const ring = parseKeyring(textB, `${textC},${textA}`);
    expect(await readSecret(oneRowDb(sealedRow(keyA, "old-value-1")), ring, "x")).toBe("old-value-1");
    expect(await readSecret(oneRowDb(sealedRow(keyB, "new-value-2")), ring, "x")).toBe("new-value-2");
    expect(keyForId(ring, keyA.id, "x")).toBe(ring.previous![1]);
  });

  it("still reads with a plain key, as callers that never heard of rings pass it", async () => {
    expect(await readSecret(oneRowDb(sealedRow(keyA, "plain")), keyA, "x")).toBe("plain");
  });

  it("names the unknown key id and says to add it to SWITCHYARD_PREVIOUS_SECRET_KEYS", async () => {
    const row = sealedRow(keyC, "orphan");
    await expect(readSecret(oneRowDb(row), parseKeyring(textB, textA), row.id)).rejects.toThrow(
      `secret ${row.id} was sealed with key ${keyC.id}, which is not the current key (${keyB.id}) nor one of the previous keys; ` +
        "add that old key to SWITCHYARD_PREVIOUS_SECRET_KEYS",
    );
  });

  it("refuses a row's ciphertext under another row's id even with the right key", async () => {
    const row = { ...sealedRow(keyA, "bound"), id: "3f1c7a52-0000-4000-8000-000000000002" };
    await expect(readSecret(oneRowDb(row), parseKeyring(textB, textA), row.id)).rejects.toThrow();
  });
});
