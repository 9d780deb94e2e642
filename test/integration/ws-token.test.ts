import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintWsToken, verifyWsToken, WsTokenError } from "@/lib/ws/token";

const key = randomBytes(32);
const cutoverId = "7d0c2a52-43f4-4c4e-9a59-0f2d8c1b9e11";
const now = new Date("2026-11-21T10:00:00Z");

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof WsTokenError) return err.problem;
    throw err;
  }
  return "accepted";
}

describe("websocket tokens", () => {
  it("round-trips the user and cutover until the expiry", () => {
    const token = mintWsToken({ userId: "user-1", cutoverId, ttlSeconds: 60 }, key, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyWsToken(token, key, new Date(now.getTime() + 59_000))).toEqual({
      userId: "user-1",
      cutoverId,
      exp: new Date(now.getTime() + 60_000),
    });
  });

  it("defaults to a 60-second lifetime and refuses the token from then on", () => {
    const token = mintWsToken({ userId: "u", cutoverId }, key, now);
    expect(problemOf(() => verifyWsToken(token, key, new Date(now.getTime() + 60_000)))).toBe("expired");
  });

  it("refuses a tampered payload or signature", () => {
    const token = mintWsToken({ userId: "user-1", cutoverId }, key, now);
    const [payload, mac] = token.split(".") as [string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), cid: "other" }),
    ).toString("base64url");
    expect(problemOf(() => verifyWsToken(`${forgedPayload}.${mac}`, key, now))).toBe("bad signature");
    const flipped = (mac[0] === "A" ? "B" : "A") + mac.slice(1);
    expect(problemOf(() => verifyWsToken(`${payload}.${flipped}`, key, now))).toBe("bad signature");
    expect(problemOf(() => verifyWsToken(`${payload}.${mac.slice(0, 20)}`, key, now))).toBe("bad signature");
  });

  it("refuses a token signed with another key", () => {
    const token = mintWsToken({ userId: "user-1", cutoverId }, randomBytes(32), now);
    expect(problemOf(() => verifyWsToken(token, key, now))).toBe("bad signature");
  });

  it("calls anything that is not a token malformed, even when correctly signed", () => {
    for (const bad of ["", "abc", "a.b.c", "a b.c", "%%%.abc", ".abc", "abc."]) {
      expect(problemOf(() => verifyWsToken(bad, key, now))).toBe("malformed");
    }
    // Signed the documented way (HKDF-SHA256 key, HMAC-SHA256 over the base64url payload).
    const macKey = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "switchyard ws token v1", 32));
    const signed = (payload: string) => {
      const part = Buffer.from(payload).toString("base64url");
      return `${part}.${createHmac("sha256", macKey).update(part).digest("base64url")}`;
    };
    expect(problemOf(() => verifyWsToken(signed("not json"), key, now))).toBe("malformed");
    expect(problemOf(() => verifyWsToken(signed(JSON.stringify({ v: 2, uid: "u", cid: cutoverId, exp: 9e9 })), key, now))).toBe("malformed");
    expect(verifyWsToken(signed(JSON.stringify({ v: 1, uid: "u", cid: cutoverId, exp: 9e9 })), key, now).userId).toBe("u");
  });

  it("refuses to mint what it could not verify", () => {
    expect(() => mintWsToken({ userId: "", cutoverId }, key, now)).toThrow();
    expect(() => mintWsToken({ userId: "u", cutoverId, ttlSeconds: 0 }, key, now)).toThrow();
  });
});
