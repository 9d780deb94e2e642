"use client";

import { useId, useMemo } from "react";
import { offsetWithName, zonedToUtc } from "@/lib/time/zoned";
import { inputClass } from "./ui";

export interface WindowValue {
  start: string;
  end: string;
  timeZone: string;
}

function zones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

/** The window as wall times in a chosen IANA zone, each shown with its UTC offset on that date. */
export function WindowField({ value, onChange, errors }: { value: WindowValue; onChange: (v: WindowValue) => void; errors: Record<string, string> }) {
  const id = useId();
  const allZones = useMemo(() => {
    const list = zones();
    return list.includes(value.timeZone) ? list : [value.timeZone, ...list];
  }, [value.timeZone]);
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-800">Maintenance window</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        <WallTime id={`${id}-start`} label="Starts" value={value.start} zone={value.timeZone} error={errors.windowStartsAt} onChange={(start) => onChange({ ...value, start })} />
        <WallTime id={`${id}-end`} label="Ends" value={value.end} zone={value.timeZone} error={errors.windowEndsAt} onChange={(end) => onChange({ ...value, end })} />
        <div>
          <label htmlFor={`${id}-zone`} className="block text-sm font-medium text-slate-800">
            Time zone
          </label>
          <select id={`${id}-zone`} className={inputClass} value={value.timeZone} onChange={(e) => onChange({ ...value, timeZone: e.target.value })}>
            {allZones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          {errors.timeZone && <p className="mt-1 text-xs font-medium text-red-700">Time zone {errors.timeZone}</p>}
        </div>
      </div>
    </fieldset>
  );
}

function WallTime({ id, label, value, zone, error, onChange }: { id: string; label: string; value: string; zone: string; error?: string; onChange: (v: string) => void }) {
  const resolved = value ? zonedToUtc(value, zone) : null;
  const message = error ?? (resolved && !resolved.ok ? resolved.message : undefined);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={id} type="datetime-local" className={inputClass} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={message ? true : undefined} />
      {resolved?.ok && (
        <p className="mt-1 text-xs text-slate-500" data-testid={`${label.toLowerCase()}-offset`}>
          {offsetWithName(resolved.instant, zone)} · {resolved.instant.toISOString().replace("T", " ").slice(0, 16)} UTC
          {resolved.ambiguous && " (this time occurs twice; the first is used)"}
        </p>
      )}
      {message && <p className="mt-1 text-xs font-medium text-red-700">{label} {message}</p>}
    </div>
  );
}

/** The window as the API takes it: UTC instants, or null when left empty. */
export function windowBody(v: WindowValue): { windowStartsAt: string | null; windowEndsAt: string | null; timeZone: string } | { error: string; path: string } {
  const convert = (wall: string, path: string) => {
    if (!wall) return null;
    const r = zonedToUtc(wall, v.timeZone);
    if (!r.ok) throw Object.assign(new Error(r.message), { path });
    return r.instant.toISOString();
  };
  try {
    return { windowStartsAt: convert(v.start, "windowStartsAt"), windowEndsAt: convert(v.end, "windowEndsAt"), timeZone: v.timeZone };
  } catch (err) {
    return { error: (err as Error).message, path: (err as { path: string }).path };
  }
}
