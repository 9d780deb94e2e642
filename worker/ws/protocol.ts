import type { RawData } from "ws";
import { z } from "zod";

export const CLOSE = {
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
} as const;

/** Replay and live reads both go page by page, never a whole run at once. */
export const PAGE_SIZE = 1000;
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const Subscribe = z.strictObject({
  type: z.literal("subscribe"),
  runId: z.guid(),
  afterSeq: z.number().int().min(0).max(2_147_483_647),
});
// Browsers cannot send ws pings, so an application-level heartbeat is accepted (and ignored).
const Heartbeat = z.object({ type: z.literal("heartbeat") });

export const ClientMessage = z.discriminatedUnion("type", [Subscribe, Heartbeat]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export interface WireLine {
  seq: number;
  stream: "stdout" | "stderr" | "system";
  text: string;
  at: string;
  stepRunId: string | null;
}

export type ServerMessage =
  | { type: "lines"; runId: string; lines: WireLine[] }
  | { type: "status"; runId: string; status: string; version: number }
  | { type: "heartbeat"; at: string };

/** A valid client message, or null for anything else (binary, not JSON, unknown shape). */
export function parseClientMessage(data: RawData, isBinary: boolean): ClientMessage | null {
  if (isBinary) return null;
  try {
    const result = ClientMessage.safeParse(JSON.parse(rawText(data)));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as Buffer).toString("utf8");
}
