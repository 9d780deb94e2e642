"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { hasNewer, hasOlder, type ViewLine } from "@/lib/run/log-window";
import { useLogWindow, type LiveState } from "./log-viewer-data";
import { LogSearch } from "./log-search";
import { Alert, Button } from "./ui";

/** Fixed row height: the list is virtualized by index × ROW. */
const ROW = 20;
const OVERSCAN = 30;
/** Load the next page when the viewport is this many rows from the window's edge. */
const EDGE_ROWS = 60;
const STREAM_STYLE: Record<string, string> = { stdout: "text-slate-100", stderr: "text-red-300", system: "italic text-slate-400" };
const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);

/**
 * The live log: a virtualized list (only the visible rows and some overscan are in the DOM) over a
 * bounded window of lines. It follows the tail until the reader scrolls up, then offers "Jump to
 * live" with the count of lines written since; older and newer pages load as the reader scrolls.
 */
export function LogViewer({ runId, cutoverId, onStatus }: { runId: string; cutoverId?: string; onStatus: () => void }) {
  const { log, state, error, store } = useLogWindow(runId, cutoverId, onStatus);
  const box = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [pausedAt, setPausedAt] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(448);
  const [highlight, setHighlight] = useState<number | null>(null);
  const loading = useRef<"older" | "newer" | null>(null);
  /** Where we last scrolled the box ourselves: a position above it means the reader moved. */
  const autoTop = useRef<number | null>(null);
  const shownFirst = useRef<number | null>(null);
  /** A search hit to centre once its page is in. */
  const centerOn = useRef<number | null>(null);
  /** True while jumping to the tail: the scroll events it causes are not the reader's. */
  const jumping = useRef(false);
  const lines = log.lines;
  const first = lines[0]?.seq ?? 0;

  const stopFollowing = useCallback(() => {
    setFollowing((was) => {
      if (was) setPausedAt(store.window.lastSeq);
      return false;
    });
  }, [store]);

  // After every change of the lines: centre a picked line, stay at the tail, or keep the same
  // lines under the reader's eyes when lines were added or dropped above them.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (centerOn.current !== null) {
      const seq = centerOn.current;
      if (lines.length > 0 && seq >= first && seq <= first + lines.length - 1) {
        el.scrollTop = Math.max(0, (seq - first) * ROW - el.clientHeight / 2 + ROW / 2);
        centerOn.current = null;
      }
    } else if (following) {
      if (!jumping.current && autoTop.current !== null && el.scrollTop < autoTop.current - ROW) stopFollowing();
      else {
        el.scrollTop = el.scrollHeight;
        autoTop.current = el.scrollTop;
      }
    } else if (!jumping.current && shownFirst.current !== null && lines.length > 0 && first !== shownFirst.current) {
      el.scrollTop += (shownFirst.current - first) * ROW;
    }
    shownFirst.current = lines.length > 0 ? first : null;
    setScrollTop(el.scrollTop);
  }, [lines, first, following, stopFollowing]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // The reader's focus (the seq mid-viewport) spares the lines they read when the window is trimmed.
  useEffect(() => {
    store.focus.seq = following ? undefined : first + Math.floor((scrollTop + height / 2) / ROW);
  }, [store, following, first, scrollTop, height]);

  const page = useCallback(
    async (which: "older" | "newer") => {
      if (loading.current) return;
      loading.current = which;
      try {
        await (which === "older" ? store.loadOlder() : store.loadNewer());
      } catch {
        // The next scroll tries again; the header shows the range actually held.
      } finally {
        loading.current = null;
      }
    },
    [store],
  );

  const onScroll = () => {
    const el = box.current!;
    setScrollTop(el.scrollTop);
    if (jumping.current || centerOn.current !== null) return;
    const w = store.window;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (fromBottom < ROW * 2 && w.atTail) {
      setFollowing(true);
      autoTop.current = el.scrollTop;
    } else if (autoTop.current === null || el.scrollTop < autoTop.current - ROW || !w.atTail) stopFollowing();
    if (el.scrollTop < ROW * EDGE_ROWS && hasOlder(w)) void page("older");
    if (fromBottom < ROW * EDGE_ROWS && hasNewer(w)) void page("newer");
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (UP_KEYS.has(e.key)) stopFollowing();
    if (e.key === "End" && !store.window.atTail) {
      e.preventDefault();
      void jumpToLive();
    }
  };

  const jumpToLive = async () => {
    jumping.current = true;
    centerOn.current = null;
    setHighlight(null);
    autoTop.current = null;
    setFollowing(true);
    try {
      if (!store.window.atTail) await store.loadNewest();
    } catch {
      // The tail keeps what it has; the socket still brings new lines.
    } finally {
      // Two frames: the render and the scroll event it causes come first.
      requestAnimationFrame(() => requestAnimationFrame(() => (jumping.current = false)));
    }
  };

  const goTo = async (seq: number) => {
    stopFollowing();
    centerOn.current = seq;
    setHighlight(seq);
    await store.showAround(seq).catch(() => (centerOn.current = null));
  };

  const newest = lines.at(-1)?.seq ?? 0;
  const unseen = following ? 0 : Math.max(0, log.lastSeq - pausedAt);
  const from = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const to = Math.min(lines.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  const visible = lines.slice(from, to);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <LiveBadge state={state} />
        <span className="tabular-nums text-slate-600" data-testid="log-range" data-count={lines.length} aria-live="off">
          {lines.length > 0 ? `lines ${first}–${newest} of ${log.lastSeq}` : "no lines yet"}
        </span>
        <LogSearch runId={runId} onPick={(seq) => void goTo(seq)} />
        <a className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500" href={`/api/runs/${runId}/logs/download`} download>
          Download full log
        </a>
      </div>
      {error && <Alert tone="warning">{error}</Alert>}
      <div className="relative">
        <div
          ref={box}
          onScroll={onScroll}
          onWheel={(e) => e.deltaY < 0 && stopFollowing()}
          onKeyDown={onKeyDown}
          tabIndex={0}
          role="log"
          aria-label="Run log (arrow keys, Page Up/Down, Home and End scroll)"
          aria-live="off"
          data-testid="log-box"
          className="h-[28rem] overflow-y-auto rounded-md bg-slate-950 font-mono text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
        >
          <div style={{ height: lines.length * ROW, position: "relative" }}>
            {visible.map((l, i) => (
              <LogRow key={l.seq} line={l} top={(from + i) * ROW} highlighted={l.seq === highlight} />
            ))}
          </div>
          {lines.length === 0 && <p className="p-4 text-slate-400">{state === "Live" ? "Waiting for the first line…" : "Loading the log…"}</p>}
        </div>
        {!following && (
          <Button variant="primary" className="absolute bottom-3 right-6 shadow-lg" data-testid="jump-to-live" onClick={() => void jumpToLive()}>
            Jump to live{unseen > 0 ? ` (${unseen.toLocaleString()} new)` : ""}
          </Button>
        )}
      </div>
    </div>
  );
}

function LogRow({ line, top, highlighted }: { line: ViewLine; top: number; highlighted: boolean }) {
  const at = new Date(line.at);
  return (
    <div
      data-testid="log-line"
      data-seq={line.seq}
      data-at={line.at}
      data-stream={line.stream}
      style={{ position: "absolute", top, height: ROW, left: 0, right: 0 }}
      className={`flex gap-3 whitespace-pre px-3 leading-5 ${highlighted ? "bg-amber-900/60" : ""}`}
    >
      <span className="w-16 shrink-0 select-none text-right tabular-nums text-slate-500">{line.seq}</span>
      <time dateTime={line.at} title={line.at} className="w-16 shrink-0 select-none tabular-nums text-slate-500">
        {at.toLocaleTimeString([], { hour12: false })}
      </time>
      <span className={`${STREAM_STYLE[line.stream] ?? ""} min-w-0 overflow-hidden text-ellipsis`} title={line.text.length > 120 ? line.text : undefined}>
        {line.stream === "stderr" && <span className="sr-only">stderr: </span>}
        {line.text}
      </span>
    </div>
  );
}

const BADGE: Record<LiveState, string> = {
  Live: "bg-emerald-100 text-emerald-900",
  "Connecting…": "bg-sky-100 text-sky-900",
  "Reconnecting…": "bg-amber-100 text-amber-900",
  Offline: "bg-red-100 text-red-900",
};

function LiveBadge({ state }: { state: LiveState }) {
  return (
    <span role="status" aria-label={`Live log connection: ${state}`} className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${BADGE[state]}`}>
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${state === "Live" ? "bg-emerald-600" : state === "Offline" ? "bg-red-600" : "bg-amber-500"}`} />
      <span data-testid="live-state">{state}</span>
    </span>
  );
}
