"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import {
  addLive,
  addNewer,
  addOlder,
  EMPTY_WINDOW,
  firstSeq,
  fromPage,
  hasNewer,
  hasOlder,
  lastHeld,
  missingRange,
  subscribeAfter,
  type LogWindow,
  type ViewLine,
} from "@/lib/run/log-window";
import { apiGet, apiSend } from "@/app/_lib/api-client";

export type LiveState = "Connecting…" | "Live" | "Reconnecting…" | "Offline";
export interface LogPage {
  lines: ViewLine[];
  lastSeq: number;
  hasMore: boolean;
}

export const LOG_PAGE = 500;
const FILL_PAGE_MAX = 1000;
const HEARTBEAT_MS = 15_000;
/** The worker beats every 15 s; silence this long means the connection is dead. */
const SILENCE_MS = 40_000;
const MAX_BACKOFF_MS = 15_000;
/** After this many failed connects in a row the badge says Offline (it keeps trying). */
const OFFLINE_AFTER = 4;

/**
 * A run's log for the viewer: the newest page over HTTP, then the worker's websocket tail after the
 * highest seq held, merged by seq (lib/run/log-window.ts). Older and newer history come in pages on
 * demand, a gap is read over HTTP, and the socket reconnects by itself with a fresh token.
 * `focus` is the seq the reader looks at (undefined while following), so trimming spares it.
 */
export function useLogWindow(runId: string, cutoverId: string | undefined, onStatus: () => void) {
  const [log, setLog] = useState<LogWindow>(EMPTY_WINDOW);
  const [state, setState] = useState<LiveState>("Connecting…");
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const onStatusRef = useRef(onStatus);
  onStatusRef.current = onStatus;
  const store = useMemo(() => logStore(runId, setLog, setError), [runId]);

  useEffect(() => {
    setReady(false);
    store.loadNewest().then(
      () => setReady(true),
      (err: Error) => {
        setError(`Could not load the log: ${err.message}`);
        setReady(true);
      },
    );
  }, [store]);

  useEffect(() => {
    if (!ready || !cutoverId) return;
    return liveTail({ runId, cutoverId, store, setState, onStatus: () => onStatusRef.current() });
  }, [ready, cutoverId, runId, store]);

  return { log, state, error, store };
}

type LogStore = ReturnType<typeof logStore>;

/** The window and every way to change it; each change applies to the newest window, so late answers merge correctly. */
function logStore(runId: string, publish: (w: LogWindow) => void, setError: (e: string | null) => void) {
  let current = EMPTY_WINDOW;
  let filling = false;
  /** The seq the reader looks at; undefined while following the tail. */
  const focus: { seq: number | undefined } = { seq: undefined };
  const page = (query: string) => apiGet<LogPage>(`/api/runs/${runId}/logs?${query}`);

  const change = (next: (w: LogWindow) => LogWindow) => {
    current = next(current);
    publish(current);
    if (missingRange(current)) void fill();
  };

  // Reads every range the window reports missing, one page at a time, until it is whole.
  const fill = async () => {
    if (filling) return;
    filling = true;
    try {
      for (let gap = missingRange(current); gap; gap = missingRange(current)) {
        const p = await page(`afterSeq=${gap.afterSeq}&limit=${Math.min(FILL_PAGE_MAX, gap.beforeSeq - gap.afterSeq - 1)}`);
        const before = lastHeld(current);
        current = addNewer(current, p.lines, p.hasMore, focus.seq);
        publish(current);
        if (lastHeld(current) === before) break; // nothing new: the next change tries again
      }
    } catch (err) {
      setError(`Could not read missing log lines: ${(err as Error).message}`);
    } finally {
      filling = false;
    }
  };

  return {
    focus,
    get window() {
      return current;
    },
    change,
    async loadNewest() {
      const p = await page(`limit=${LOG_PAGE}`);
      setError(null);
      change((w) => fromPage(p.lines, Math.max(p.lastSeq, w.lastSeq), true));
    },
    /** Reads the page before the window; resolves to how many lines were put in front. */
    async loadOlder() {
      const start = firstSeq(current);
      if (start === null || !hasOlder(current)) return 0;
      const p = await page(`beforeSeq=${start}&limit=${LOG_PAGE}`);
      change((w) => addOlder(w, p.lines, focus.seq ?? start));
      return start - (firstSeq(current) ?? start);
    },
    /** Reads the page after the window (away from the tail; at the tail the socket brings lines). */
    async loadNewer() {
      if (!hasNewer(current)) return;
      const end = lastHeld(current);
      const p = await page(`afterSeq=${end}&limit=${LOG_PAGE}`);
      change((w) => (lastHeld(w) === end ? addNewer(w, p.lines, p.hasMore, focus.seq ?? end) : w));
    },
    /** Replaces the window with the page around one line (a search hit). */
    async showAround(seq: number) {
      const p = await page(`afterSeq=${Math.max(0, seq - LOG_PAGE / 2)}&limit=${LOG_PAGE}`);
      change((w) => fromPage(p.lines, Math.max(p.lastSeq, w.lastSeq), !p.hasMore));
    },
  };
}

/**
 * The worker's websocket: a fresh token per connect, subscribe after the highest seq held,
 * heartbeats, a watchdog for silent deaths, reconnect with backoff. Returns the stop function.
 */
function liveTail(o: { runId: string; cutoverId: string; store: LogStore; setState: (s: LiveState) => void; onStatus: () => void }) {
  let socket: WebSocket | null = null;
  let stopped = false;
  let failures = 0;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const heard = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(drop, SILENCE_MS);
  };
  // Gives up on the current socket at once (a dead network may take long to report the close).
  const drop = () => {
    const ws = socket;
    if (!ws) return;
    socket = null;
    clearInterval(heartbeat);
    clearTimeout(watchdog);
    ws.close();
    scheduleRetry();
  };
  let connecting = false;
  const connect = async () => {
    clearTimeout(retry);
    if (stopped || connecting || socket) return;
    connecting = true;
    let ws: WebSocket;
    try {
      // Tokens live 60 s: every (re)connect mints a fresh one.
      const { token, wsUrl } = await apiSend<{ token: string; wsUrl: string }>("POST", `/api/cutovers/${o.cutoverId}/stream-token`);
      if (stopped) return;
      ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
    } catch {
      return scheduleRetry();
    } finally {
      connecting = false;
    }
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      o.setState("Live");
      heard();
      ws.send(JSON.stringify({ type: "subscribe", runId: o.runId, afterSeq: subscribeAfter(o.store.window) }));
      heartbeat = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: "heartbeat" })), HEARTBEAT_MS);
    };
    ws.onmessage = (event) => {
      heard();
      const msg = JSON.parse(String(event.data)) as { type: string; runId?: string; lines?: ViewLine[] };
      if (msg.runId !== undefined && msg.runId !== o.runId) return;
      if (msg.type === "status") o.onStatus();
      if (msg.type === "lines" && msg.lines?.length) o.store.change((w) => addLive(w, msg.lines!, o.store.focus.seq));
    };
    ws.onclose = () => {
      clearInterval(heartbeat);
      clearTimeout(watchdog);
      if (socket !== ws) return;
      socket = null;
      scheduleRetry();
    };
  };
  const scheduleRetry = () => {
    if (stopped) return;
    clearTimeout(retry);
    failures += 1;
    const offline = !navigator.onLine || failures >= OFFLINE_AFTER;
    o.setState(offline ? "Offline" : "Reconnecting…");
    // Exponential backoff with jitter, so many viewers do not come back in step.
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 5)) * (0.75 + Math.random() / 2);
    retry = setTimeout(() => void connect(), delay);
  };
  // The browser knows first: drop the socket when it goes offline, come back as soon as it is online.
  const online = () => void connect();
  const offline = () => drop();
  window.addEventListener("online", online);
  window.addEventListener("offline", offline);
  void connect();
  return () => {
    stopped = true;
    window.removeEventListener("online", online);
    window.removeEventListener("offline", offline);
    clearTimeout(retry);
    clearTimeout(watchdog);
    clearInterval(heartbeat);
    socket?.close();
  };
}
