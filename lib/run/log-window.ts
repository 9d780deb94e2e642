// The log viewer's memory, pure and framework-free: one contiguous run of lines by seq (no gap, no
// duplicate), grown backward and forward by history pages and forward by the live tail, bounded in
// size. Live lines that arrive beyond a gap wait in `pending` until the missing range is read.

export interface ViewLine {
  seq: number;
  stream: "stdout" | "stderr" | "system";
  text: string;
  at: string;
}

export interface LogWindow {
  /** Ascending, consecutive seqs. */
  lines: ViewLine[];
  /** Live lines past a gap after `lines` (ascending), held until the gap is filled. */
  pending: ViewLine[];
  /** Highest seq the run is known to have (from pages or the tail). */
  lastSeq: number;
  /** True while the window reaches the live tail: live lines are then kept, else only counted. */
  atTail: boolean;
}

/** A range of seqs to read over HTTP: every line with afterSeq < seq < beforeSeq. */
export interface MissingRange {
  afterSeq: number;
  beforeSeq: number;
}

export const EMPTY_WINDOW: LogWindow = { lines: [], pending: [], lastSeq: 0, atTail: true };
/** At most this many lines are held; the side away from the reader is dropped first. */
export const MAX_LINES = 50_000;

export const firstSeq = (w: LogWindow): number | null => w.lines[0]?.seq ?? null;
export const lastHeld = (w: LogWindow): number => w.lines[w.lines.length - 1]?.seq ?? 0;
/** The seq a live subscription should continue after. */
export const subscribeAfter = (w: LogWindow): number => (w.atTail ? Math.max(lastHeld(w), w.pending.at(-1)?.seq ?? 0) : w.lastSeq);
export const hasOlder = (w: LogWindow): boolean => (firstSeq(w) ?? 1) > 1;
export const hasNewer = (w: LogWindow): boolean => !w.atTail;

/**
 * A fresh window from one ascending page: the newest page (`atTail`), or a page around a search
 * hit (not at the tail unless it reaches lastSeq).
 */
export function fromPage(page: ViewLine[], lastSeq: number, atTail: boolean): LogWindow {
  const lines = consecutivePrefix(dedupe(page));
  const end = lines.at(-1)?.seq ?? 0;
  return { lines, pending: [], lastSeq: Math.max(lastSeq, end), atTail: atTail || end >= lastSeq };
}

/**
 * A batch from the websocket. At the tail, lines are merged by seq (duplicates dropped) and those
 * after a gap wait in `pending`; away from the tail only `lastSeq` moves. `focus` is the seq the
 * reader looks at (none while following the tail): trimming drops the side farther from it.
 */
export function addLive(w: LogWindow, batch: ViewLine[], focus?: number): LogWindow {
  const lastSeq = Math.max(w.lastSeq, ...batch.map((l) => l.seq));
  if (!w.atTail) return { ...w, lastSeq };
  return settle({ ...w, lastSeq, pending: dedupe([...w.pending, ...batch]) }, focus ?? Number.POSITIVE_INFINITY);
}

/**
 * An ascending HTTP page read forward (afterSeq = the window's end): scrolling down through history
 * or filling a gap. `hasMore` false means the page reached the run's end at read time.
 */
export function addNewer(w: LogWindow, page: ViewLine[], hasMore: boolean, focus?: number): LogWindow {
  const lastSeq = Math.max(w.lastSeq, page.at(-1)?.seq ?? 0);
  return settle({ ...w, lastSeq, atTail: w.atTail || !hasMore, pending: dedupe([...page, ...w.pending]) }, focus ?? Number.POSITIVE_INFINITY);
}

/** An ascending HTTP page read backward (beforeSeq = the window's start); overlap is dropped. */
export function addOlder(w: LogWindow, page: ViewLine[], focus?: number): LogWindow {
  const start = firstSeq(w) ?? Number.POSITIVE_INFINITY;
  const older = dedupe(page).filter((l) => l.seq < start);
  if (older.length === 0) return w;
  // Only the part that ends right before the window joins it; a page that does not reach it is ignored.
  if (w.lines.length > 0 && older.at(-1)!.seq !== start - 1) return w;
  const joined = consecutiveSuffix(older);
  return trim({ ...w, lines: [...joined, ...w.lines] }, focus ?? Number.NEGATIVE_INFINITY);
}

/**
 * What must be read over HTTP for the window to be whole: at the tail, every seq between the last
 * line held and the first pending one (or the run's known end). Null when nothing is missing.
 */
export function missingRange(w: LogWindow): MissingRange | null {
  if (!w.atTail) return null;
  const end = lastHeld(w);
  const next = w.pending[0]?.seq ?? w.lastSeq + 1;
  return next > end + 1 ? { afterSeq: end, beforeSeq: next } : null;
}

// Moves the pending lines that continue the window into it, then trims to the bound. Away from
// the tail nothing waits: a page that does not continue the window is dropped.
function settle(w: LogWindow, focus: number): LogWindow {
  const end = lastHeld(w);
  const pending = w.pending.filter((l) => l.seq > end);
  let take = 0;
  while (take < pending.length && pending[take]!.seq === end + 1 + take) take++;
  const lines = take > 0 ? [...w.lines, ...pending.slice(0, take)] : w.lines;
  const rest = w.atTail ? pending.slice(take) : [];
  // A tail that waits on a gap too long is bounded too; the dropped lines join the missing range.
  const bounded = rest.length > MAX_LINES ? rest.slice(rest.length - MAX_LINES) : rest;
  return trim({ ...w, lines, pending: bounded }, focus);
}

// Over the bound, drop from the side farther from the reader's focus (dropping the end leaves the tail).
function trim(w: LogWindow, focus: number): LogWindow {
  const excess = w.lines.length - MAX_LINES;
  if (excess <= 0) return w;
  const first = w.lines[0]!.seq;
  const last = w.lines[w.lines.length - 1]!.seq;
  const dropFront = focus - first >= last - focus;
  if (dropFront) return { ...w, lines: w.lines.slice(excess) };
  return { ...w, lines: w.lines.slice(0, MAX_LINES), pending: [], atTail: false };
}

function dedupe(lines: ViewLine[]): ViewLine[] {
  const sorted = [...lines].sort((a, b) => a.seq - b.seq);
  return sorted.filter((l, i) => i === 0 || l.seq !== sorted[i - 1]!.seq);
}

function consecutivePrefix(lines: ViewLine[]): ViewLine[] {
  let n = 1;
  while (n < lines.length && lines[n]!.seq === lines[n - 1]!.seq + 1) n++;
  return lines.slice(0, n);
}

function consecutiveSuffix(lines: ViewLine[]): ViewLine[] {
  let n = lines.length - 1;
  while (n > 0 && lines[n - 1]!.seq === lines[n]!.seq - 1) n--;
  return lines.slice(Math.max(0, n));
}
