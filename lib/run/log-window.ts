// The log viewer's memory: one contiguous run of lines by seq (no gaps, no duplicates), grown
// backward by history pages and forward by the live tail, trimmed to a bound. Pure and framework-free.

export interface ViewLine {
  seq: number;
  stream: "stdout" | "stderr" | "system";
  text: string;
  at: string;
}

export interface LogWindow {
  lines: ViewLine[];
  /** Highest seq the run is known to have (from pages, the tail, or the run itself). */
  lastSeq: number;
  /** False once the window no longer reaches the live tail (trimmed or moved back in history). */
  atTail: boolean;
}

export const EMPTY_WINDOW: LogWindow = { lines: [], lastSeq: 0, atTail: true };
export const MAX_LINES = 50_000;

const first = (w: LogWindow) => w.lines[0]?.seq ?? null;
const last = (w: LogWindow) => w.lines[w.lines.length - 1]?.seq ?? null;

/** The window replaced by a page (ascending): the newest page, or a page around a search hit. */
export function replaceWith(page: ViewLine[], lastSeq: number): LogWindow {
  const lines = dedupeAscending(page);
  return { lines, lastSeq: Math.max(lastSeq, lines.at(-1)?.seq ?? 0), atTail: (lines.at(-1)?.seq ?? 0) >= lastSeq };
}

/**
 * Live lines after the window's end. Lines already held are dropped; a batch that does not start
 * right after the end reports the gap, so the caller reads the missing range first.
 */
export function appendTail(w: LogWindow, batch: ViewLine[]): { window: LogWindow; gapAfter: number | null } {
  const end = last(w) ?? 0;
  const fresh = dedupeAscending(batch).filter((l) => l.seq > end);
  const lastSeq = Math.max(w.lastSeq, fresh.at(-1)?.seq ?? 0);
  if (!w.atTail || fresh.length === 0) return { window: { ...w, lastSeq }, gapAfter: null };
  if (fresh[0]!.seq !== end + 1 && w.lines.length > 0) return { window: { ...w, lastSeq }, gapAfter: end };
  return { window: trim({ lines: [...w.lines, ...fresh], lastSeq, atTail: true }, "front"), gapAfter: null };
}

/** An older page that ends right before the window's start (anything overlapping is dropped). */
export function prependHistory(w: LogWindow, page: ViewLine[]): LogWindow {
  const start = first(w) ?? Number.POSITIVE_INFINITY;
  const older = dedupeAscending(page).filter((l) => l.seq < start);
  if (older.length === 0) return w;
  return trim({ ...w, lines: [...older, ...w.lines] }, "back");
}

/** Whether older lines exist before the window. */
export const hasOlder = (w: LogWindow) => (first(w) ?? 1) > 1;

// Over the bound, drop from the side away from where lines were just added.
function trim(w: LogWindow, side: "front" | "back"): LogWindow {
  const excess = w.lines.length - MAX_LINES;
  if (excess <= 0) return w;
  if (side === "front") return { ...w, lines: w.lines.slice(excess) };
  return { ...w, lines: w.lines.slice(0, MAX_LINES), atTail: false };
}

function dedupeAscending(lines: ViewLine[]): ViewLine[] {
  const sorted = [...lines].sort((a, b) => a.seq - b.seq);
  return sorted.filter((l, i) => i === 0 || l.seq !== sorted[i - 1]!.seq);
}
