import { describe, expect, it } from "vitest";
import { CopyOutScanner } from "./copy-scanner";

const message = (type: string, body: Buffer | string) => {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const header = Buffer.alloc(5);
  header[0] = type.charCodeAt(0);
  header.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
};

const rows = Array.from({ length: 40 }, (_, i) => message("d", `${i}\trow number ${i}${"x".repeat(i % 7)}\n`));
const after = Buffer.concat([message("C", "COPY 40\0"), message("Z", "I")]);
const stream = Buffer.concat([message("H", Buffer.from([0, 0, 1, 0, 0])), ...rows.slice(0, 20), message("N", "SNOTICE\0\0"), ...rows.slice(20), message("c", ""), after]);

function scanInChunks(bytes: Buffer, sizes: (i: number) => number) {
  const scanner = new CopyOutScanner();
  const forwarded: Buffer[] = [];
  for (let pos = 0, i = 0; pos < bytes.length; i++) {
    const chunk = bytes.subarray(pos, pos + sizes(i));
    pos += chunk.length;
    const result = scanner.scan(chunk);
    forwarded.push(...result.forward);
    if (result.end) return { forwarded: Buffer.concat(forwarded), end: result.end.reason, rest: Buffer.concat([result.end.rest, bytes.subarray(pos)]), payload: scanner.payloadBytes, messages: scanner.messages };
  }
  return { forwarded: Buffer.concat(forwarded), end: null, rest: Buffer.alloc(0), payload: scanner.payloadBytes, messages: scanner.messages };
}

describe("CopyOutScanner", () => {
  it("forwards exactly the CopyData messages and hands back what follows CopyDone, however the bytes are chunked", () => {
    const expected = Buffer.concat(rows);
    const payload = rows.reduce((n, r) => n + r.length - 5, 0);
    for (const size of [1, 2, 3, 4, 5, 6, 7, 11, 64, stream.length]) {
      const got = scanInChunks(stream, () => size);
      expect(got.forwarded.equals(expected), `chunk size ${size}`).toBe(true);
      expect(got.end).toBe("done");
      expect(got.rest.equals(after)).toBe(true);
      expect(got.payload).toBe(payload);
      expect(got.messages).toBe(rows.length);
    }
    const irregular = scanInChunks(stream, (i) => 1 + ((i * 7) % 13));
    expect(irregular.forwarded.equals(expected)).toBe(true);
  });

  it("stops at an ErrorResponse and hands it back whole", () => {
    const error = Buffer.concat([message("E", "SERROR\0Mcanceled\0\0"), message("Z", "I")]);
    const failing = Buffer.concat([message("H", Buffer.from([0, 0, 0])), ...rows.slice(0, 3), error]);
    for (const size of [1, 3, 5, 9, failing.length]) {
      const got = scanInChunks(failing, () => size);
      expect(got.end).toBe("error");
      expect(got.forwarded.equals(Buffer.concat(rows.slice(0, 3)))).toBe(true);
      expect(got.rest.equals(error)).toBe(true);
    }
  });
});
