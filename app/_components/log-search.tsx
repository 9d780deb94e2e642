"use client";

import { useId, useRef, useState } from "react";
import type { ViewLine } from "@/lib/run/log-window";
import { apiGet } from "@/app/_lib/api-client";
import type { LogPage } from "./log-viewer-data";
import { Button, inputClass } from "./ui";

const RESULTS_PAGE = 100;

/**
 * Server-side search over the whole log (?q=, case-insensitive), newest matches first, with
 * "Older matches" paging; picking a result jumps the viewer to that line. Escape closes the list.
 */
export function LogSearch({ runId, onPick }: { runId: string; onPick: (seq: number) => void }) {
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState("");
  const [searched, setSearched] = useState("");
  const [results, setResults] = useState<ViewLine[] | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const search = async (text: string, beforeSeq?: number) => {
    setBusy(true);
    setError(null);
    try {
      const p = await apiGet<LogPage>(`/api/runs/${runId}/logs?q=${encodeURIComponent(text)}&limit=${RESULTS_PAGE}${beforeSeq ? `&beforeSeq=${beforeSeq}` : ""}`);
      const newestFirst = [...p.lines].reverse();
      setResults((prev) => (beforeSeq && prev ? [...prev, ...newestFirst] : newestFirst));
      setMore(p.hasMore);
      setSearched(text);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setResults(null);
    input.current?.focus();
  };

  return (
    <form
      className="relative flex items-center gap-2"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const text = q.trim();
        if (text) void search(text);
        else setResults(null);
      }}
      onKeyDown={(e) => e.key === "Escape" && results && (e.stopPropagation(), close())}
    >
      <input
        ref={input}
        type="search"
        className={`${inputClass} mt-0 w-56`}
        aria-label="Search the log"
        aria-controls={results ? listId : undefined}
        placeholder="Search the whole log"
        maxLength={200}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <Button type="submit" disabled={busy}>
        {busy ? "Searching…" : "Search"}
      </Button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          Search failed: {error}
        </span>
      )}
      {results && (
        <div id={listId} className="absolute left-0 top-10 z-20 max-h-80 w-[38rem] max-w-[90vw] overflow-y-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg" data-testid="search-results">
          <div className="mb-1 flex items-center justify-between text-xs text-slate-500">
            <span role="status">
              {results.length === 0 ? `No line contains “${searched}”` : `${results.length}${more ? "+" : ""} line(s) contain “${searched}”, newest first`}
            </span>
            <button type="button" className="rounded px-1 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500" onClick={close}>
              Close
            </button>
          </div>
          <ul aria-label="Search results">
            {results.map((l) => (
              <li key={l.seq}>
                <button
                  type="button"
                  className="block w-full truncate rounded px-2 py-1 text-left font-mono text-xs hover:bg-slate-100 focus:bg-slate-100 focus:outline-none"
                  onClick={() => {
                    setResults(null);
                    onPick(l.seq);
                  }}
                >
                  <span className="text-slate-500">{l.seq}</span> <span className={l.stream === "stderr" ? "text-red-800" : ""}>{l.text}</span>
                </button>
              </li>
            ))}
          </ul>
          {more && (
            <Button className="mt-1 w-full" disabled={busy} onClick={() => void search(searched, results.at(-1)?.seq)}>
              Older matches
            </Button>
          )}
        </div>
      )}
    </form>
  );
}
