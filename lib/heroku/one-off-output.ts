// A detached one-off dyno's output, read from a log session's logplex_url line by line, with
// the exit status taken from the platform's `Process exited with status N` line.

export interface ParsedLogLine {
  at: string;
  /** `app` (the process's own output) or `heroku` (the platform's lines). */
  source: string;
  dyno: string;
  text: string;
}

export interface OneOffOutput {
  /** Every line as the log session sent it (`<iso> app[run.1234]: text`). */
  lines: string[];
  /** Only the dyno's own stdout and stderr text. */
  output: string[];
  /** null when the stream ended (or was cut) before the dyno exited. */
  exitStatus: number | null;
  /** Lines dropped from the front once more than `maxLines` came. */
  droppedLines: number;
}

export interface ReadOneOffOptions {
  signal?: AbortSignal;
  /** Count only this dyno's lines (`run.1234`); default: any one-off (`run.*`). */
  dyno?: string;
  /** Default 10,000: the last ones are kept. */
  maxLines?: number;
  /** Each of the dyno's lines (its own output and the platform's about it) as it arrives, in order. */
  onLine?: (line: ParsedLogLine) => void;
}

const LINE = /^(\S+) ([\w-]+)\[([^\]]+)\]: ?(.*)$/;
const EXITED = /^Process exited with status (\d+)$/;
const FINAL_STATE = /^State changed from \w+ to (complete|crashed|down)$/;

export function parseLogLine(line: string): ParsedLogLine | null {
  const match = LINE.exec(line);
  return match ? { at: match[1]!, source: match[2]!, dyno: match[3]!, text: match[4]! } : null;
}

/** The status in `heroku[run.N]: Process exited with status N`, else null. */
export function exitStatusIn(line: ParsedLogLine): number | null {
  if (line.source !== "heroku") return null;
  const match = EXITED.exec(line.text);
  return match ? Number(match[1]) : null;
}

/** Collects lines; reports done once the dyno has exited and its final state line came. */
export function createOutputCollector(opts: Pick<ReadOneOffOptions, "dyno" | "maxLines" | "onLine"> = {}) {
  const max = opts.maxLines ?? 10_000;
  const result: OneOffOutput = { lines: [], output: [], exitStatus: null, droppedLines: 0 };
  const ours = (dyno: string) => (opts.dyno ? dyno === opts.dyno : dyno.startsWith("run."));
  let done = false;
  /** True when the oldest item had to go. */
  const keep = (list: string[], item: string): boolean => {
    list.push(item);
    return list.length > max && list.shift() !== undefined;
  };
  return {
    result,
    done: () => done,
    add(line: string): void {
      if (keep(result.lines, line)) result.droppedLines++;
      const parsed = parseLogLine(line);
      if (!parsed || !ours(parsed.dyno)) return;
      opts.onLine?.(parsed);
      if (parsed.source === "app") keep(result.output, parsed.text);
      result.exitStatus = exitStatusIn(parsed) ?? result.exitStatus;
      if (result.exitStatus !== null && parsed.source === "heroku" && FINAL_STATE.test(parsed.text)) done = true;
    },
  };
}

/** Where a log session points, without its signature (the URL's credential), for error messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/**
 * Reads a log session (best opened with `tail: true` and the dyno's name) until the dyno has
 * exited and its final state line came, or the stream ends. Sends no token: the URL is signed.
 */
export async function readOneOffOutput(logplexUrl: string, opts: ReadOneOffOptions = {}): Promise<OneOffOutput> {
  const res = await fetch(logplexUrl, { headers: { Accept: "text/plain" }, signal: opts.signal });
  if (!res.ok || !res.body) {
    const text = (await res.text().catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 200);
    throw new Error(`Log session ${shown(logplexUrl)} answered ${res.status}${text ? `: ${text}` : ""}`);
  }
  const collector = createOutputCollector(opts);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  try {
    while (!collector.done()) {
      const { value, done } = await reader.read();
      if (done) break;
      const parts = (rest + value).split("\n");
      rest = parts.pop()!;
      for (const part of parts) collector.add(part.replace(/\r$/, ""));
    }
    if (rest !== "" && !collector.done()) collector.add(rest.replace(/\r$/, ""));
  } finally {
    // Heroku's tail never ends by itself: close it once the dyno is done.
    await reader.cancel().catch(() => undefined);
  }
  return collector.result;
}
