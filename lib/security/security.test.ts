import { describe, expect, it } from "vitest";
import { open, seal } from "./cipher";
import { hashPassword, verifyPassword } from "./password";
import { redact } from "./redact";
import { generateSecretKeyText, parseSecretKey } from "./secret-key";

describe("redact", () => {
  it("masks passwords in postgres URLs inside any text", () => {
    expect(redact("pg_dump postgres://app:Pa55w0rd@db:5432/x and postgresql://u:p%40ss@h/d")).toBe(
      "pg_dump postgres://app:****@db:5432/x and postgresql://u:****@h/d",
    );
  });
  it("masks PGPASSWORD, bearer and basic credentials, and literal secrets", () => {
    expect(redact("PGPASSWORD=hunter22 psql")).toBe("PGPASSWORD=**** psql");
    expect(redact("Authorization: Bearer abc.def-123")).toBe("Authorization: Bearer ****");
    expect(redact("Authorization: Basic OnRva2Vu")).toBe("Authorization: Basic ****");
    expect(redact("token is heroku-abcdef", ["heroku-abcdef"])).toBe("token is ****");
  });
  it("masks a known password whole even when it contains @ or :", () => {
    expect(redact("postgres://u:p@ss:w0rd@db/x", ["p@ss:w0rd"])).toBe("postgres://u:****@db/x");
  });
  it("leaves URLs without passwords alone", () => {
    expect(redact("postgres://app@db:5432/x")).toBe("postgres://app@db:5432/x");
  });
});

describe("secrets at rest", () => {
  const key = parseSecretKey(generateSecretKeyText());
  it("round-trips through AES-256-GCM and refuses another row's associated data", () => {
    const sealed = seal(key, "postgres://u:pw@h/db", "row-1");
    expect(Buffer.from(sealed.ciphertext).toString("utf8")).not.toContain("pw");
    expect(open(key, sealed, "row-1")).toBe("postgres://u:pw@h/db");
    expect(() => open(key, sealed, "row-2")).toThrow();
  });
  it("refuses a different key, naming both key ids", () => {
    const other = parseSecretKey(generateSecretKeyText());
    const sealed = seal(key, "x", "a");
    expect(() => open(other, sealed, "a")).toThrow(`sealed with key ${key.id}`);
  });
  it("rejects keys that are not 32 bytes", () => {
    expect(() => parseSecretKey("c2hvcnQ=")).toThrow(/must be 32 bytes in base64/);
  });
});

describe("passwords", () => {
  it("hashes with scrypt and verifies only the right password", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("wrong", stored)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });
});
