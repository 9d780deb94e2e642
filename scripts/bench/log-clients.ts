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

  // Each line's text starts with the producer's Date.now() at the moment it was appended. The
  // frame is scanned rather than JSON.parse'd: 50 clients parsing a million lines a second would
  // take most of a core from the very worker being measured. The first frame is also parsed, to
  // prove the scan reads what JSON.parse would.
  private receive(data: Buffer): void {
    if (startsWith(data, STATUS)) this.statusSeen = true;
    if (!startsWith(data, LINES)) return;
    const now = Date.now();
    const lines = scanLines(data);
    if (this.lines === 0) assertScanMatches(data, lines);
    for (const line of lines) {
      if (line.seq !== this.lastSeq + 1) this.outOfOrder += 1;
      this.lastSeq = line.seq;
      // NaN for a "[n lines dropped]" marker, which carries no send time.
      if (Number.isFinite(line.appendedAt)) this.latency.add(now - line.appendedAt);
    }
    this.lines += lines.length;
    this.lastAt = now;
  }
}

const LINES = Buffer.from('{"type":"lines"');
const STATUS = Buffer.from('{"type":"status"');
// Inside a JSON string every quote is escaped, so these byte sequences only ever start a line
// object and its text member.
const SEQ = Buffer.from('{"seq":');
const TEXT = Buffer.from('"text":"');

const startsWith = (data: Buffer, prefix: Buffer) => data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

interface ScannedLine {
  seq: number;
  appendedAt: number;
}

function scanLines(frame: Buffer): ScannedLine[] {
  const out: ScannedLine[] = [];
  for (let at = frame.indexOf(SEQ); at >= 0; at = frame.indexOf(SEQ, at + SEQ.length)) {
    const text = frame.indexOf(TEXT, at);
    out.push({ seq: readDigits(frame, at + SEQ.length), appendedAt: readDigits(frame, text + TEXT.length) });
  }
  return out;
}

/** The decimal number starting at `at`, or NaN when there is none. */
function readDigits(frame: Buffer, at: number): number {
  let n = Number.NaN;
  for (let i = at; frame[i]! >= 0x30 && frame[i]! <= 0x39; i += 1) n = (Number.isNaN(n) ? 0 : n * 10) + frame[i]! - 0x30;
  return n;
}

function assertScanMatches(frame: Buffer, scanned: ScannedLine[]): void {
  const parsed = (JSON.parse(frame.toString("utf8")) as { lines: Array<{ seq: number; text: string }> }).lines;
  const expected = parsed.map((l) => ({ seq: l.seq, appendedAt: Number.parseInt(l.text, 10) }));
  if (JSON.stringify(expected) !== JSON.stringify(scanned)) {
    throw new Error("bench client: scanning a lines frame disagrees with JSON.parse (did the wire format change?)");
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
