"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { appendTail, EMPTY_WINDOW, prependHistory, replaceWith, type LogWindow, type ViewLine } from "@/lib/run/log-window";
import { apiGet, apiSend } from "./api-client";

export type LiveState = "Connecting…" | "Live" | "Reconnecting…" | "Offline";
interface LogPage {
  lines: ViewLine[];
  lastSeq: number;
  hasMore: boolean;
}

const PAGE = 500;
const HEARTBEAT_MS = 15_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * A run's log: the newest page over HTTP, then the worker's websocket tail after the highest seq
 * held, merged by seq. Reconnects with backoff and a fresh token; a gap is filled over HTTP.
 */
export function useLiveLog(runId: string, cutoverId: string | undefined, onStatus: () => void) {
  const [window, setWindow] = useState<LogWindow>(EMPTY_WINDOW);
  const [state, setState] = useState<LiveState>("Connecting…");
  const [ready, setReady] = useState(false);
  const windowRef = useRef(window);
  windowRef.current = window;
  const onStatusRef = useRef(onStatus);
  onStatusRef.current = onStatus;

  const apply = useCallback((next: LogWindow) => {
    windowRef.current = next;
    setWindow(next);
  }, []);

  const loadNewest = useCallback(async () => {
    const page = await apiGet<LogPage>(`/api/runs/${runId}/logs?limit=${PAGE}`);
    apply(replaceWith(page.lines, page.lastSeq));
  }, [runId, apply]);

  // Fills [after+1 …] over HTTP until caught up; the tail then continues from there.
  const fillGap = useCallback(
    async (after: number) => {
      let from = after;
      for (;;) {
        const page = await apiGet<LogPage>(`/api/runs/${runId}/logs?afterSeq=${from}&limit=1000`);
        apply(appendTail(windowRef.current, page.lines).window);
        if (!page.hasMore || page.lines.length === 0) return;
        from = page.lines.at(-1)!.seq;
      }
    },
    [runId, apply],
  );

  useEffect(() => {
    void loadNewest().then(() => setReady(true), () => setReady(true));
  }, [loadNewest]);

  useEffect(() => {
    if (!ready || !cutoverId) return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const connect = async () => {
      try {
        const { token, wsUrl } = await apiSend<{ token: string; wsUrl: string }>("POST", `/api/cutovers/${cutoverId}/stream-token`);
        if (stopped) return;
        socket = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
      } catch {
        return scheduleRetry();
      }
      socket.onopen = () => {
        attempt = 0;
        setState("Live");
        const w = windowRef.current;
        socket!.send(JSON.stringify({ type: "subscribe", runId, afterSeq: w.atTail ? (w.lines.at(-1)?.seq ?? 0) : w.lastSeq }));
        heartbeat = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: "heartbeat" })), HEARTBEAT_MS);
      };
      socket.onmessage = (event) => {
        const msg = JSON.parse(String(event.data)) as { type: string; lines?: ViewLine[] };
        if (msg.type === "status") onStatusRef.current();
        if (msg.type !== "lines" || !msg.lines) return;
        const { window: next, gapAfter } = appendTail(windowRef.current, msg.lines);
        apply(next);
        if (gapAfter !== null) void fillGap(gapAfter);
      };
      socket.onclose = () => {
        clearInterval(heartbeat);
        if (!stopped) scheduleRetry();
      };
    };
    const scheduleRetry = () => {
      if (stopped) return;
      setState(typeof navigator !== "undefined" && !navigator.onLine ? "Offline" : "Reconnecting…");
      attempt += 1;
      retry = setTimeout(() => void connect(), Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt));
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      socket?.close();
    };
  }, [ready, cutoverId, runId, apply, fillGap]);

  const loadOlder = useCallback(async () => {
    const start = windowRef.current.lines[0]?.seq;
    if (!start || start <= 1) return 0;
    const page = await apiGet<LogPage>(`/api/runs/${runId}/logs?beforeSeq=${start}&limit=${PAGE}`);
    const before = windowRef.current.lines.length;
    apply(prependHistory(windowRef.current, page.lines));
    return windowRef.current.lines.length - before;
  }, [runId, apply]);

  const showAround = useCallback(
    async (seq: number) => {
      const page = await apiGet<LogPage>(`/api/runs/${runId}/logs?afterSeq=${Math.max(0, seq - PAGE / 2)}&limit=${PAGE}`);
      apply(replaceWith(page.lines, windowRef.current.lastSeq));
    },
    [runId, apply],
  );

  return { window, state, loadOlder, loadNewest, showAround };
}
