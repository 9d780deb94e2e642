import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { verifyWsToken, WsTokenError, type WsTokenClaims } from "@/lib/ws/token";
import { CLOSE } from "./protocol";

export const WS_PATH = "/ws";

type TokenCheck = { ok: true; claims: WsTokenClaims } | { ok: false; reason: string };

/**
 * Handles the HTTP server's "upgrade" for /ws (anything else gets a 404). The token is checked
 * before the upgrade; a refused one still completes it, so the browser sees close code 1008.
 */
export function createUpgradeHandler(opts: {
  wss: WebSocketServer;
  keyBytes: Buffer;
  onSession(ws: WebSocket, claims: WsTokenClaims): void;
}) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = parseUrl(req.url);
    if (url?.pathname !== WS_PATH) return refuse(socket);
    const check = checkToken(url.searchParams.get("token"), opts.keyBytes);
    opts.wss.handleUpgrade(req, socket, head, (ws) => {
      if (check.ok) opts.onSession(ws, check.claims);
      else ws.close(CLOSE.policy, check.reason);
    });
  };
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? "/", "http://worker.invalid");
  } catch {
    return null;
  }
}

function refuse(socket: Duplex): void {
  socket.on("error", () => socket.destroy());
  socket.once("finish", () => socket.destroy());
  socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}

function checkToken(token: string | null, keyBytes: Buffer): TokenCheck {
  if (!token) return { ok: false, reason: "token required" };
  try {
    return { ok: true, claims: verifyWsToken(token, keyBytes, new Date()) };
  } catch (err) {
    if (err instanceof WsTokenError) return { ok: false, reason: err.problem === "expired" ? "token expired" : "invalid token" };
    throw err;
  }
}
