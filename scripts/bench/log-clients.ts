import type net from "node:net";
import { WebSocket } from "ws";
import { LatencyHistogram } from "./latency-histogram";

/** One websocket viewer of bench:logs: counts lines, checks their seqs and measures their lag. */
export class BenchClient {
  readonly latency = new LatencyHistogram();
  lines = 0;
  /** Lines whose seq was not the previous seq + 1 (a gap, a duplicate or out of order). */
  outOfOrder = 0;
  lastSeq = 0;
  lastAt = 0;
  statusSeen = false;
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once("close", (code) => resolve((this.closeCode = code))));
    ws.on("message", (data) => this.receive(data as Buffer));
    ws.on("error", () => undefined); // a dropped client's error is what the bench measures, not a crash
  }

  static open(url: string): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once("open", () => resolve(new BenchClient(ws)));
      ws.once("error", (err) => reject(new Error(`websocket ${url.replace(/token=[^&]+/, "token=…")}: ${err.message}`)));
    });
  }

  subscribe(runId: string): void {
    this.ws.send(JSON.stringify({ type: "subscribe", runId, afterSeq: 0 }));
  }

  /** Stops reading the socket: the server's frames pile up in the kernel, then in its own buffer. */
  stopReading(): void {
    this.socket().pause();
  }

  resumeReading(): void {
    this.socket().resume();
  }

  private socket(): net.Socket {
    return (this.ws as unknown as { _socket: net.Socket })._socket;
  }

  // Each line's text starts with the producer's Date.now() at the moment it was appended.
  private receive(data: Buffer): void {
    const message = JSON.parse(data.toString("utf8")) as { type: string; lines?: Array<{ seq: number; text: string }> };
    if (message.type === "status") this.statusSeen = true;
    if (message.type !== "lines") return;
    const now = Date.now();
    for (const line of message.lines!) {
      if (line.seq !== this.lastSeq + 1) this.outOfOrder += 1;
      this.lastSeq = line.seq;
      const appendedAt = Number.parseInt(line.text, 10); // NaN for a "[n lines dropped]" marker
      if (Number.isFinite(appendedAt)) this.latency.add(now - appendedAt);
    }
    this.lines += message.lines!.length;
    this.lastAt = now;
  }
}

export async function waitUntil(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return true;
}
