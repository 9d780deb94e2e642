"use client";

import { useId, useMemo } from "react";
import { offsetWithName, timeZoneChoices, zonedToUtc } from "@/lib/time/zoned";
import { formatSpan, inputClass } from "./ui";

export interface WindowValue {
  start: string;
  end: string;
  timeZone: string;
}

/** The window as wall times in a chosen IANA zone, each shown with its UTC offset on that date. */
export function WindowField({ value, onChange, errors }: { value: WindowValue; onChange: (v: WindowValue) => void; errors: Record<string, string> }) {
  const id = useId();
  const zones = useMemo(() => timeZoneChoices(value.timeZone), [value.timeZone]);
  const start = value.start ? zonedToUtc(value.start, value.timeZone) : null;
  const end = value.end ? zonedToUtc(value.end, value.timeZone) : null;
  const lengthMs = start?.ok && end?.ok ? end.instant.getTime() - start.instant.getTime() : null;
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-800">Maintenance window</legend>
      <p className="text-xs text-slate-500">Wall-clock times in the zone you choose; they are stored as exact instants, so daylight saving changes cannot move them.</p>
      <div className="grid gap-3 sm:grid-cols-3">
        <WallTime id={`${id}-start`} label="Starts" testId="starts" name="windowStartsAt" value={value.start} zone={value.timeZone} error={errors.windowStartsAt} onChange={(start) => onChange({ ...value, start })} />
        <WallTime id={`${id}-end`} label="Ends" testId="ends" name="windowEndsAt" value={value.end} zone={value.timeZone} error={errors.windowEndsAt} onChange={(end) => onChange({ ...value, end })} />
        <div>
          <label htmlFor={`${id}-zone`} className="block text-sm font-medium text-slate-800">
            Time zone
          </label>
          <select
            id={`${id}-zone`}
            name="timeZone"
            className={inputClass}
            value={value.timeZone}
            onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
            aria-invalid={errors.timeZone ? true : undefined}
            aria-describedby={errors.timeZone ? `${id}-zone-error` : undefined}
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          {errors.timeZone && (
            <p id={`${id}-zone-error`} className="mt-1 text-xs font-medium text-red-700">
              Time zone {errors.timeZone}
            </p>
          )}
        </div>
      </div>
      {lengthMs !== null && (
        <p className={`text-xs ${lengthMs > 0 ? "text-slate-600" : "font-medium text-red-700"}`} data-testid="window-length">
          {lengthMs > 0 ? `The window lasts ${formatSpan(lengthMs)}.` : "The window ends before it starts: pick a later end."}
        </p>
      )}
    </fieldset>
  );
}

function WallTime(props: { id: string; label: string; testId: string; name: string; value: string; zone: string; error?: string; onChange: (v: string) => void }) {
  const resolved = props.value ? zonedToUtc(props.value, props.zone) : null;
  const message = props.error ?? (resolved && !resolved.ok ? resolved.message : undefined);
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.name}
        type="datetime-local"
        className={inputClass}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${props.id}-offset ${message ? `${props.id}-error` : ""}`.trim()}
      />
      {resolved?.ok && (
        <p id={`${props.id}-offset`} className="mt-1 text-xs text-slate-500" data-testid={`${props.testId}-offset`}>
          {offsetWithName(resolved.instant, props.zone)} · {resolved.instant.toISOString().replace("T", " ").slice(0, 16)} UTC
          {resolved.ambiguous && <span className="block text-amber-800">This time occurs twice that night (clocks go back); the first occurrence is used.</span>}
        </p>
      )}
      {message && (
        <p id={`${props.id}-error`} className="mt-1 text-xs font-medium text-red-700">
          {props.label} {message}
        </p>
      )}
    </div>
  );
}

/** The window as the API takes it: UTC instants (null when left empty), or the first field that cannot be converted. */
export function windowBody(v: WindowValue): { windowStartsAt: string | null; windowEndsAt: string | null; timeZone: string } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const convert = (wall: string, path: string) => {
    if (!wall) return null;
    const r = zonedToUtc(wall, v.timeZone);
    if (r.ok) return r.instant.toISOString();
    errors[path] = r.message;
    return null;
  };
  const windowStartsAt = convert(v.start, "windowStartsAt");
  const windowEndsAt = convert(v.end, "windowEndsAt");
  if (windowStartsAt && windowEndsAt && windowEndsAt <= windowStartsAt) errors.windowEndsAt = "must be after the window start";
  return Object.keys(errors).length > 0 ? { errors } : { windowStartsAt, windowEndsAt, timeZone: v.timeZone };
}
