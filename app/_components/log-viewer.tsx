"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { hasOlder, type ViewLine } from "@/lib/run/log-window";
import { apiGet } from "@/app/_lib/api-client";
import { useLiveLog } from "@/app/_lib/use-live-log";
import { Button, inputClass } from "./ui";

const ROW = 20;
const OVERSCAN = 30;
const STREAM_STYLE: Record<string, string> = { stdout: "text-slate-100", stderr: "text-red-300", system: "italic text-slate-400" };

/**
 * The live log: a virtualized list (only visible rows are in the DOM) over the viewer's window
 * of lines. It follows the tail until the reader scrolls up, then offers "Jump to live".
 */
export function LogViewer({ runId, cutoverId, onStatus }: { runId: string; cutoverId?: string; onStatus: () => void }) {
  const { window: w, state, loadOlder, loadNewest, showAround } = useLiveLog(runId, cutoverId, onStatus);
  const box = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [highlight, setHighlight] = useState<number | null>(null);
  const loadingOlder = useRef(false);
  const seenSeq = useRef(0);

  // Follow the tail: after each render with new lines, stay at the bottom.
  useLayoutEffect(() => {
    if (following && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [w.lines, following]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(async () => {
    const el = box.current!;
    setScrollTop(el.scrollTop);
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    setFollowing(atBottom && w.atTail);
    if (el.scrollTop < ROW * 50 && hasOlder(w) && !loadingOlder.current) {
      loadingOlder.current = true;
      const added = await loadOlder().finally(() => (loadingOlder.current = false));
      // Keep the same lines under the reader's eyes after older ones are put above them.
      if (added > 0 && box.current) box.current.scrollTop += added * ROW;
    }
  }, [w, loadOlder]);

  const jumpToLive = async () => {
    if (!w.atTail) await loadNewest();
    setHighlight(null);
    setFollowing(true);
  };

  const goTo = async (seq: number) => {
    await showAround(seq);
    setFollowing(false);
    setHighlight(seq);
  };
  useEffect(() => {
    if (highlight === null || !box.current) return;
    const index = w.lines.findIndex((l) => l.seq === highlight);
    if (index >= 0) box.current.scrollTop = Math.max(0, index * ROW - height / 2);
  }, [highlight, w.lines, height]);

  const newest = w.lines.at(-1)?.seq ?? 0;
  if (following) seenSeq.current = w.lastSeq;
  const unseen = following ? 0 : Math.max(0, w.lastSeq - Math.max(seenSeq.current, 0));
  const from = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const to = Math.min(w.lines.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  const visible = w.lines.slice(from, to);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <LiveBadge state={state} />
        <span className="text-slate-600 tabular-nums" data-testid="log-range">
          {w.lines.length > 0 ? `lines ${w.lines[0]!.seq}–${newest} of ${w.lastSeq}` : "no lines yet"}
        </span>
        <SearchBox runId={runId} onPick={goTo} />
        <a className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50" href={`/api/runs/${runId}/logs/download`} download>
          Download full log
        </a>
      </div>
      <div className="relative">
        <div
          ref={box}
          onScroll={() => void onScroll()}
          tabIndex={0}
          role="log"
          aria-label="Run log"
          aria-live="off"
          data-testid="log-box"
          className="h-[28rem] overflow-y-auto rounded-md bg-slate-950 font-mono text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
        >
          <div style={{ height: w.lines.length * ROW, position: "relative" }}>
            {visible.map((l, i) => (
              <LogRow key={l.seq} line={l} top={(from + i) * ROW} highlighted={l.seq === highlight} />
            ))}
          </div>
          {w.lines.length === 0 && <p className="p-4 text-slate-400">Waiting for the first line…</p>}
        </div>
        {!following && (
          <Button variant="primary" className="absolute bottom-3 right-6 shadow-lg" data-testid="jump-to-live" onClick={() => void jumpToLive()}>
            Jump to live{unseen > 0 ? ` (${unseen} new)` : ""}
          </Button>
        )}
      </div>
    </div>
  );
}

function LogRow({ line, top, highlighted }: { line: ViewLine; top: number; highlighted: boolean }) {
  return (
    <div
      data-testid="log-line"
      data-seq={line.seq}
      data-at={line.at}
      style={{ position: "absolute", top, height: ROW, left: 0, right: 0 }}
      className={`flex gap-3 whitespace-pre px-3 leading-5 ${highlighted ? "bg-amber-900/60" : ""}`}
    >
      <span className="w-16 shrink-0 select-none text-right tabular-nums text-slate-500">{line.seq}</span>
      <span className="w-20 shrink-0 select-none tabular-nums text-slate-500">{new Date(line.at).toLocaleTimeString([], { hour12: false })}</span>
      <span className={`${STREAM_STYLE[line.stream] ?? ""} overflow-hidden text-ellipsis`}>{line.text}</span>
    </div>
  );
}

function LiveBadge({ state }: { state: string }) {
  const tone = state === "Live" ? "bg-emerald-100 text-emerald-900" : state === "Offline" ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-900";
  return (
    <span role="status" data-testid="live-state" className={`rounded-full px-2 py-0.5 text-xs font-medium ${tone}`}>
      {state}
    </span>
  );
}

function SearchBox({ runId, onPick }: { runId: string; onPick: (seq: number) => void }) {
  const [q, setQ] = useState("");
  const [results, setResults] = useState<ViewLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="relative flex items-center gap-2"
      role="search"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!q.trim()) return setResults(null);
        try {
          setError(null);
          setResults((await apiGet<{ lines: ViewLine[] }>(`/api/runs/${runId}/logs?q=${encodeURIComponent(q.trim())}&limit=50`)).lines);
        } catch (err) {
          setError((err as Error).message);
        }
      }}
    >
      <input className={`${inputClass} mt-0 w-56`} aria-label="Search the log" placeholder="Search the whole log" value={q} onChange={(e) => setQ(e.target.value)} />
      <Button type="submit">Search</Button>
      {error && <span className="text-xs text-red-700">{error}</span>}
      {results && (
        <div className="absolute left-0 top-10 z-20 max-h-72 w-[36rem] overflow-y-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg" data-testid="search-results">
          <div className="mb-1 flex justify-between text-xs text-slate-500">
            <span>{results.length === 0 ? "No matches" : `${results.length} newest matches`}</span>
            <button type="button" className="underline" onClick={() => setResults(null)}>
              Close
            </button>
          </div>
          {results.map((l) => (
            <button
              key={l.seq}
              type="button"
              className="block w-full truncate rounded px-2 py-1 text-left font-mono text-xs hover:bg-slate-100"
              onClick={() => {
                setResults(null);
                onPick(l.seq);
              }}
            >
              <span className="text-slate-500">{l.seq}</span> {l.text}
            </button>
          ))}
        </div>
      )}
    </form>
  );
}
