import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Short-lived tokens that let a browser open the worker's /ws for one cutover. The web app mints
 * them and the worker verifies them with the same SWITCHYARD_SECRET_KEY; no session lookup needed.
 * Format: base64url(JSON payload) "." base64url(HMAC-SHA256(payload part)).
 */
export type WsTokenProblem = "expired" | "bad signature" | "malformed";

export class WsTokenError extends Error {
  constructor(readonly problem: WsTokenProblem) {
    super(`websocket token ${problem}`);
    this.name = "WsTokenError";
  }
}

export interface WsTokenClaims {
  userId: string;
  cutoverId: string;
  exp: Date;
}

const Payload = z.object({
  v: z.literal(1),
  uid: z.string().min(1),
  cid: z.string().min(1),
  /** Expiry in whole seconds since the epoch. */
  exp: z.number().int().positive(),
});

const MintInput = z.object({
  userId: z.string().min(1),
  cutoverId: z.string().min(1),
  ttlSeconds: z.number().int().positive().max(3600).default(60),
});

const PART = /^[A-Za-z0-9_-]+$/;

// A key of its own, so a token MAC can never be confused with anything else the secret key does.
function tokenKey(keyBytes: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", keyBytes, Buffer.alloc(0), "switchyard ws token v1", 32));
}

function sign(payloadPart: string, keyBytes: Buffer): Buffer {
  return createHmac("sha256", tokenKey(keyBytes)).update(payloadPart).digest();
}

export function mintWsToken(
  input: { userId: string; cutoverId: string; ttlSeconds?: number },
  keyBytes: Buffer,
  now: Date = new Date(),
): string {
  const { userId, cutoverId, ttlSeconds } = MintInput.parse(input);
  const exp = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const payloadPart = Buffer.from(JSON.stringify({ v: 1, uid: userId, cid: cutoverId, exp })).toString("base64url");
  return `${payloadPart}.${sign(payloadPart, keyBytes).toString("base64url")}`;
}

/** The token's claims, or a WsTokenError saying why it is refused. */
export function verifyWsToken(token: string, keyBytes: Buffer, now: Date = new Date()): WsTokenClaims {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 2 || !PART.test(parts[0]!) || !PART.test(parts[1]!)) throw new WsTokenError("malformed");
  const [payloadPart, macPart] = parts as [string, string];
  const expected = sign(payloadPart, keyBytes);
  const given = Buffer.from(macPart, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WsTokenError("bad signature");
  const payload = parsePayload(payloadPart);
  if (payload.exp * 1000 <= now.getTime()) throw new WsTokenError("expired");
  return { userId: payload.uid, cutoverId: payload.cid, exp: new Date(payload.exp * 1000) };
}

function parsePayload(payloadPart: string): z.infer<typeof Payload> {
  try {
    return Payload.parse(JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")));
  } catch {
    throw new WsTokenError("malformed");
  }
}
