"use client";

import { useEffect, useId, useRef, useState } from "react";
import { inputClass, Button } from "./ui";

export interface SmokeRow {
  url: string;
  expectStatus: string;
  expectText: string;
  maxLatencyMs: string;
  imagesLoad: boolean;
}

export const emptySmokeRow = (): SmokeRow => ({ url: "", expectStatus: "200", expectText: "", maxLatencyMs: "2000", imagesLoad: false });

const COLUMNS: Array<{ field: "url" | "expectStatus" | "expectText" | "maxLatencyMs"; label: string; className: string; numeric?: boolean; placeholder?: string }> = [
  { field: "url", label: "URL", className: "col-span-12 sm:col-span-5", placeholder: "https://example.com/health" },
  { field: "expectStatus", label: "Expected status", className: "col-span-4 sm:col-span-2", numeric: true },
  { field: "expectText", label: "Text that must appear", className: "col-span-8 sm:col-span-3" },
  { field: "maxLatencyMs", label: "Latency budget (ms)", className: "col-span-6 sm:col-span-2", numeric: true },
];

/** Smoke URLs with their expectations; errors come from the server as smokeChecks.<i>.<field>. */
export function SmokeChecksField({ rows, onChange, errors }: { rows: SmokeRow[]; onChange: (rows: SmokeRow[]) => void; errors: Record<string, string> }) {
  const id = useId();
  const set = (i: number, patch: Partial<SmokeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  // A new row puts the keyboard in its URL; removing one puts it on "Add" so focus is never lost.
  useEffect(() => {
    if (focusRow === null) return;
    const target = focusRow >= 0 ? document.getElementById(`${id}-${focusRow}-url`) : fieldsetRef.current?.querySelector<HTMLElement>("[data-add-smoke]");
    target?.focus();
    setFocusRow(null);
  }, [focusRow, id]);
  return (
    <fieldset ref={fieldsetRef} className="space-y-3">
      <legend className="text-sm font-medium text-slate-800">Smoke checks</legend>
      <p className="text-xs text-slate-500">URLs checked before the cutover (the baseline), after the switch and after a rollback.</p>
      {errors.smokeChecks && <p className="text-xs font-medium text-red-700">Smoke checks {errors.smokeChecks}</p>}
      {rows.length === 0 && <p className="text-sm text-slate-600">No smoke checks yet.</p>}
      {rows.map((r, i) => (
        <div key={i} className="grid grid-cols-12 gap-2 rounded-md border border-slate-200 p-3" data-testid="smoke-row" role="group" aria-label={`Smoke check ${i + 1}`}>
          {COLUMNS.map((c) => {
            const error = errors[`smokeChecks.${i}.${c.field}`];
            const inputId = `${id}-${i}-${c.field}`;
            return (
              <div key={c.field} className={c.className}>
                <label htmlFor={inputId} className="text-xs font-medium">
                  {c.label}
                </label>
                <input
                  id={inputId}
                  name={`smokeChecks.${i}.${c.field}`}
                  className={inputClass}
                  inputMode={c.numeric ? "numeric" : undefined}
                  value={r[c.field]}
                  placeholder={c.placeholder}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => set(i, { [c.field]: e.target.value })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${inputId}-error` : undefined}
                />
                {error && (
                  <span id={`${inputId}-error`} className="mt-1 block text-xs font-medium text-red-700">
                    {c.label} {error}
                  </span>
                )}
              </div>
            );
          })}
          <label className="col-span-6 flex items-center gap-2 text-xs font-medium sm:col-span-10">
            <input type="checkbox" name={`smokeChecks.${i}.imagesLoad`} checked={r.imagesLoad} onChange={(e) => set(i, { imagesLoad: e.target.checked })} /> Images on the page must
            load
          </label>
          <div className="col-span-6 text-right sm:col-span-2">
            <Button
              onClick={() => {
                onChange(rows.filter((_, j) => j !== i));
                setFocusRow(-1);
              }}
              aria-label={`Remove smoke check ${i + 1}`}
            >
              Remove
            </Button>
          </div>
        </div>
      ))}
      <Button
        data-add-smoke
        onClick={() => {
          onChange([...rows, emptySmokeRow()]);
          setFocusRow(rows.length);
        }}
      >
        Add a smoke check
      </Button>
    </fieldset>
  );
}

/** The rows as the API takes them; a number field left as text lets the server name the problem. */
export function smokeChecksBody(rows: SmokeRow[]) {
  const num = (v: string) => (v.trim() === "" ? undefined : /^\d+$/.test(v.trim()) ? Number(v) : v);
  return rows.map((r) => ({
    url: r.url.trim(),
    expectStatus: num(r.expectStatus),
    expectText: r.expectText.trim() || undefined,
    maxLatencyMs: num(r.maxLatencyMs),
    imagesLoad: r.imagesLoad,
  }));
}
