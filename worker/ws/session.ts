import { WebSocket } from "ws";
import type { WsTokenClaims } from "@/lib/ws/token";
import { PageFrames, type LinesFrame } from "./lines-frame";
import { CLOSE, type ServerMessage, type WireLine } from "./protocol";
import { judgeBacklog, type SlowClientPolicy } from "./slow-client";

// After a close frame, a client that does not read would never see it; cut the socket then.
const CLOSE_GRACE_MS = 5_000;

/** One connected browser: its token's claims, its subscription and how far it has been sent. */
export class Session {
  runId: string | null = null;
  /** Highest seq sent on the current subscription; every line goes out once, in order. */
  lastSentSeq = 0;
  /** Bumped by every subscribe, so a replay belonging to an older subscribe stops. */
  generation = 0;
  unansweredPings = 0;
  linesSent = 0;
  readonly closed: Promise<void>;
  private behindSince: number | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly claims: WsTokenClaims,
    private readonly slow: SlowClientPolicy,
    private readonly onTooSlow: (session: Session) => void,
  ) {
    this.closed = new Promise((resolve) => ws.once("close", () => resolve()));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends the lines this session has not had yet (seq > lastSentSeq). */
  sendLines(runId: string, lines: WireLine[], done?: (err?: Error) => void): boolean {
    const frame = new PageFrames(runId, lines).after(this.lastSentSeq);
    return frame !== null && this.sendFrame(frame, done);
  }

  /** Sends a serialized page; it must start after lastSentSeq, so no line goes out twice. */
  sendFrame(frame: LinesFrame, done?: (err?: Error) => void): boolean {
    if (frame.runId !== this.runId || frame.firstSeq <= this.lastSentSeq) return false;
    if (!this.admit()) return false;
    this.ws.send(frame.data, { binary: false }, done);
    this.lastSentSeq = frame.lastSeq;
    this.linesSent += frame.count;
    return true;
  }

  /** Like sendLines, resolving once the frame reached the socket (or the session ended). */
  async sendLinesAndWait(runId: string, lines: WireLine[]): Promise<void> {
    let written!: () => void;
    const wait = new Promise<void>((resolve) => (written = resolve));
    if (!this.sendLines(runId, lines, () => written())) return;
    await Promise.race([wait, this.closed]);
  }

  send(message: ServerMessage, done?: (err?: Error) => void): boolean {
    if (!this.admit()) return false;
    this.ws.send(JSON.stringify(message), done);
    return true;
  }

  /**
   * May another frame be queued? A client that has held more than the limit from earlier frames
   * for longer than the grace (or more than the hard limit at all) is dropped instead: it cannot
   * keep up, and buffering for it would cost the worker memory. (Checked before sending, so one
   * large page never counts against a client that is reading.)
   */
  private admit(): boolean {
    if (!this.open) return false;
    const verdict = judgeBacklog(this.ws.bufferedAmount, this.behindSince, Date.now(), this.slow);
    if (verdict.send) {
      this.behindSince = verdict.behindSince;
      return true;
    }
    this.close(CLOSE.tryAgainLater, "too slow, reconnect");
    this.onTooSlow(this);
    return false;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(code, reason);
    const cut = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    void this.closed.then(() => clearTimeout(cut));
  }
}
