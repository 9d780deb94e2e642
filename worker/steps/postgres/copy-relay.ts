import type { Socket } from "node:net";
import type pg from "pg";
import { CopyOutScanner } from "./copy-scanner";

// What node-postgres keeps private but a relay must reach: the socket and its parser's listener.
interface PgConnection {
  stream: Socket;
  query(text: string): void;
  sendCopyFail(message: string): void;
}
type DataHandler = (chunk: Buffer) => void;

const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

/**
 * Runs `COPY … TO STDOUT` on the source and `COPY … FROM STDIN` on the target, passing the
 * source's CopyData messages to the target's socket unchanged (no row parsing, no re-framing), with
 * back-pressure both ways. Resolves with the target's row count once both sides are ready for
 * the next query; rejects with the first side's error. After a rejection the caller must close
 * both connections: a COPY that failed on one side cannot always be ended cleanly on the other.
 */
export function relayCopy(src: pg.Client, tgt: pg.Client, copyOut: string, copyIn: string, onProgress: (bytes: number, rows: number) => void): Promise<{ rows: number; bytes: number }> {
  const into = new CopyIn(copyIn);
  const out = new CopyOut(copyOut, onProgress);
  into.ready.then(
    () => {
      const target = into.connection!.stream;
      out.pump = (chunks) => chunks.reduce((ok, c) => target.write(c) && ok, true);
      out.onDrainNeeded = (resume) => target.once("drain", resume);
      // An error on the source arrives between whole messages, so the target can be told cleanly.
      out.onEnd = (reason) => (reason === "done" ? target.write(COPY_DONE) : into.connection!.sendCopyFail("the source failed during COPY"));
      src.query(out as never);
    },
    () => undefined,
  );
  tgt.query(into as never);
  return Promise.all([into.done, out.done]).then(
    ([rows]) => ({ rows, bytes: out.bytes }),
    (err: Error) => {
      out.stopped = true;
      throw err;
    },
  );
}

/** The target half: a node-postgres "submittable" that waits for CopyInResponse. */
class CopyIn {
  connection: PgConnection | null = null;
  readonly ready: Promise<void>;
  readonly done: Promise<number>;
  private rows = 0;
  private onReady!: () => void;
  private onDone!: (rows: number) => void;
  private onFail!: (e: Error) => void;

  constructor(private readonly text: string) {
    let failReady!: (e: Error) => void;
    let failDone!: (e: Error) => void;
    this.ready = new Promise((res, rej) => ((this.onReady = res), (failReady = rej)));
    this.done = new Promise((res, rej) => ((this.onDone = res), (failDone = rej)));
    this.onFail = (e) => (failReady(e), failDone(e));
  }

  submit(connection: PgConnection) {
    this.connection = connection;
    connection.query(this.text);
  }
  handleCopyInResponse() {
    this.onReady();
  }
  handleCommandComplete(msg: { text?: string }) {
    this.rows = Number(/COPY (\d+)/.exec(msg?.text ?? "")?.[1] ?? 0);
  }
  handleReadyForQuery() {
    this.onDone(this.rows);
  }
  handleError(err: Error) {
    this.onFail(err);
  }
  // node-postgres may replace it to enforce query_timeout; it must exist.
  callback() {}
}

/** The source half: takes the socket over from node-postgres's parser for the length of the COPY. */
class CopyOut {
  readonly done: Promise<void>;
  bytes = 0;
  stopped = false;
  pump: (chunks: Buffer[]) => boolean = () => true;
  onDrainNeeded: (resume: () => void) => void = () => undefined;
  onEnd: (reason: "done" | "error") => void = () => undefined;
  private connection: PgConnection | null = null;
  private handler: DataHandler | null = null;
  private readonly scanner = new CopyOutScanner();
  private waiting = false;
  private resolve!: () => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly text: string,
    private readonly onProgress: (bytes: number, rows: number) => void,
  ) {
    this.done = new Promise((res, rej) => ((this.resolve = res), (this.reject = rej)));
  }

  submit(connection: PgConnection) {
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners("data") as DataHandler[];
    if (listeners.length !== 1) throw new Error(`expected node-postgres's one data listener on the socket, found ${listeners.length}`);
    this.handler = listeners[0]!;
    stream.removeListener("data", this.handler);
    stream.pause();
    stream.on("readable", this.read);
    connection.query(this.text);
  }

  private read = () => {
    if (this.waiting || !this.connection) return;
    const stream = this.connection.stream;
    for (let chunk: Buffer | null; !this.stopped && (chunk = stream.read() as Buffer | null) !== null; ) {
      const before = { bytes: this.scanner.payloadBytes, rows: this.scanner.messages };
      const { forward, end } = this.scanner.scan(chunk);
      const ok = this.pump(forward);
      const n = this.scanner.payloadBytes - before.bytes;
      this.bytes += n;
      if (n) this.onProgress(n, this.scanner.messages - before.rows);
      if (end) return this.finish(end.reason, end.rest);
      if (!ok) {
        this.waiting = true;
        this.onDrainNeeded(() => ((this.waiting = false), this.read()));
        return;
      }
    }
  };

  // Gives the socket back to node-postgres, which parses CommandComplete/ErrorResponse and ReadyForQuery.
  private finish(reason: "done" | "error", rest: Buffer) {
    const stream = this.connection!.stream;
    stream.removeListener("readable", this.read);
    this.onEnd(reason);
    stream.on("data", this.handler!);
    this.handler!(rest);
    process.nextTick(() => stream.resume());
  }

  handleCommandComplete() {}
  handleReadyForQuery() {
    this.resolve();
  }
  handleError(err: Error) {
    this.reject(err);
  }
  callback() {}
}
