// Protocol message types met while a server streams COPY TO STDOUT.
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'
const HEADER = 5; // type byte + int32 length (which counts itself)

export interface ScanResult {
  /** Whole or partial CopyData messages, headers included, to write to the target as they are. */
  forward: Buffer[];
  /** Set once CopyDone was consumed (done) or an ErrorResponse began (error): the bytes after it belong to the client's parser again. */
  end?: { reason: "done" | "error"; rest: Buffer };
}

/**
 * Walks the source's COPY OUT byte stream message by message without parsing rows: a server's
 * CopyData messages are byte for byte what a client sends for COPY FROM STDIN, so they are
 * forwarded unchanged. Anything else inside the copy (CopyOutResponse, notices, parameter
 * status) is skipped. Headers may be split across chunks.
 */
export class CopyOutScanner {
  /** Row bytes seen (CopyData payloads), for progress. */
  payloadBytes = 0;
  /** CopyData messages begun: the server sends one per row (binary adds a trailer). */
  messages = 0;
  private type = 0;
  private remaining = 0;
  private header: Buffer | null = null;

  scan(chunk: Buffer): ScanResult {
    const forward: Buffer[] = [];
    let pos = 0;
    let runStart = -1;
    const flushRun = (to: number) => {
      if (runStart >= 0 && to > runStart) forward.push(chunk.subarray(runStart, to));
      runStart = -1;
    };
    while (pos < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - pos);
        if (this.type === COPY_DATA) {
          if (runStart < 0) runStart = pos;
          this.payloadBytes += n;
        }
        this.remaining -= n;
        pos += n;
        continue;
      }
      // Fast path: whole CopyData messages inside this chunk (one per row, so this loop is the hot one).
      if (!this.header) {
        const start = pos;
        while (pos + HEADER <= chunk.length && chunk[pos] === COPY_DATA) {
          const end = pos + 1 + chunk.readUInt32BE(pos + 1);
          if (end > chunk.length) break;
          this.payloadBytes += end - pos - HEADER;
          this.messages += 1;
          pos = end;
        }
        if (pos > start && runStart < 0) runStart = start;
        if (pos >= chunk.length) break;
      }
      // At a message boundary: a header that is split across chunks is assembled first.
      let type: number;
      let length: number;
      let headerBytes: Buffer | null = null;
      if (this.header || chunk.length - pos < HEADER) {
        flushRun(pos);
        const have = this.header ?? Buffer.alloc(0);
        const take = Math.min(HEADER - have.length, chunk.length - pos);
        this.header = Buffer.concat([have, chunk.subarray(pos, pos + take)]);
        pos += take;
        if (this.header.length < HEADER) break;
        headerBytes = this.header;
        this.header = null;
        type = headerBytes[0]!;
        length = headerBytes.readUInt32BE(1);
      } else {
        type = chunk[pos]!;
        length = chunk.readUInt32BE(pos + 1);
      }
      if (type === ERROR_RESPONSE) {
        flushRun(pos);
        const rest = headerBytes ? Buffer.concat([headerBytes, chunk.subarray(pos)]) : chunk.subarray(pos);
        return { forward, end: { reason: "error", rest } };
      }
      this.type = type;
      this.remaining = length - 4;
      if (type === COPY_DATA) {
        this.messages += 1;
        if (headerBytes) forward.push(headerBytes);
        else if (runStart < 0) runStart = pos;
      } else {
        flushRun(pos);
      }
      if (!headerBytes) pos += HEADER;
      if (type === COPY_DONE && this.remaining === 0) return { forward, end: { reason: "done", rest: chunk.subarray(pos) } };
    }
    flushRun(pos);
    return { forward };
  }
}
