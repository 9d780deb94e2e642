"use client";

import { inputClass, Button } from "./ui";

export interface SmokeRow {
  url: string;
  expectStatus: string;
  expectText: string;
  maxLatencyMs: string;
  imagesLoad: boolean;
}

export const emptySmokeRow = (): SmokeRow => ({ url: "", expectStatus: "200", expectText: "", maxLatencyMs: "2000", imagesLoad: false });

/** Smoke URLs with their expectations; errors come from the server as smokeChecks.<i>.<field>. */
export function SmokeChecksField({ rows, onChange, errors }: { rows: SmokeRow[]; onChange: (rows: SmokeRow[]) => void; errors: Record<string, string> }) {
  const set = (i: number, patch: Partial<SmokeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-800">Smoke checks</legend>
      <p className="text-xs text-slate-500">URLs checked before the cutover (the baseline), after the switch and after a rollback.</p>
      {errors.smokeChecks && <p className="text-xs font-medium text-red-700">Smoke checks {errors.smokeChecks}</p>}
      {rows.length === 0 && <p className="text-sm text-slate-600">No smoke checks yet.</p>}
      {rows.map((r, i) => (
        <div key={i} className="grid grid-cols-12 gap-2 rounded-md border border-slate-200 p-3" data-testid="smoke-row">
          <label className="col-span-12 text-xs font-medium sm:col-span-5">
            URL
            <input className={inputClass} value={r.url} onChange={(e) => set(i, { url: e.target.value })} placeholder="https://example.com/health" aria-invalid={errors[`smokeChecks.${i}.url`] ? true : undefined} />
            {errors[`smokeChecks.${i}.url`] && <span className="mt-1 block text-red-700">URL {errors[`smokeChecks.${i}.url`]}</span>}
          </label>
          <label className="col-span-4 text-xs font-medium sm:col-span-2">
            Expected status
            <input className={inputClass} inputMode="numeric" value={r.expectStatus} onChange={(e) => set(i, { expectStatus: e.target.value })} />
            {errors[`smokeChecks.${i}.expectStatus`] && <span className="mt-1 block text-red-700">Status {errors[`smokeChecks.${i}.expectStatus`]}</span>}
          </label>
          <label className="col-span-8 text-xs font-medium sm:col-span-3">
            Text that must appear
            <input className={inputClass} value={r.expectText} onChange={(e) => set(i, { expectText: e.target.value })} />
            {errors[`smokeChecks.${i}.expectText`] && <span className="mt-1 block text-red-700">Text {errors[`smokeChecks.${i}.expectText`]}</span>}
          </label>
          <label className="col-span-6 text-xs font-medium sm:col-span-2">
            Latency budget (ms)
            <input className={inputClass} inputMode="numeric" value={r.maxLatencyMs} onChange={(e) => set(i, { maxLatencyMs: e.target.value })} />
            {errors[`smokeChecks.${i}.maxLatencyMs`] && <span className="mt-1 block text-red-700">Budget {errors[`smokeChecks.${i}.maxLatencyMs`]}</span>}
          </label>
          <label className="col-span-6 flex items-center gap-2 text-xs font-medium sm:col-span-10">
            <input type="checkbox" checked={r.imagesLoad} onChange={(e) => set(i, { imagesLoad: e.target.checked })} /> Images on the page must load
          </label>
          <div className="col-span-12 text-right sm:col-span-2">
            <Button onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove smoke check ${i + 1}`}>
              Remove
            </Button>
          </div>
        </div>
      ))}
      <Button onClick={() => onChange([...rows, emptySmokeRow()])}>Add a smoke check</Button>
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
