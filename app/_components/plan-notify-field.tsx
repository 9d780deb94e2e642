"use client";

import { useEffect, useId, useRef, useState } from "react";
import { NOTIFY_EVENTS, type NotifyFormat } from "@/lib/notify/events";
import { Button, inputClass } from "./ui";

export interface NotifyRow {
  /** Set for a channel the plan already has: its sealed URL is kept unless a new one is typed. */
  id?: string;
  name: string;
  format: NotifyFormat;
  url: string;
  /** The stored URL as scheme and host, for a kept channel. */
  stored: string | null;
  events: string[];
  windowLeadMinutes: string;
}

const ALL_EVENTS = NOTIFY_EVENTS.map((e) => e.id as string);

export const emptyNotifyRow = (): NotifyRow => ({ name: "", format: "slack", url: "", stored: null, events: [...ALL_EVENTS], windowLeadMinutes: "30" });

type StoredChannel = { id: string; name: string; format: string; url: string; events: string[]; windowLeadMinutes: number };

/** The plan's channels as the form edits them. */
export function notifyRows(channels: StoredChannel[] | undefined): NotifyRow[] {
  return (channels ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    format: c.format === "json" ? "json" : "slack",
    url: "",
    stored: c.url,
    events: c.events,
    windowLeadMinutes: String(c.windowLeadMinutes),
  }));
}

/** The rows as the API takes them; an untyped URL is left out (the stored one is kept), a number left as text lets the server name the problem. */
export function notificationsBody(rows: NotifyRow[]) {
  return rows.map((r) => ({
    ...(r.id ? { id: r.id } : {}),
    name: r.name.trim(),
    format: r.format,
    ...(r.url.trim() ? { url: r.url.trim() } : {}),
    events: r.events,
    windowLeadMinutes: /^\d+$/.test(r.windowLeadMinutes.trim()) ? Number(r.windowLeadMinutes.trim()) : r.windowLeadMinutes,
  }));
}

const FIELD_LABELS: Record<string, string> = { name: "Name", format: "Format", url: "Webhook URL", events: "Events", windowLeadMinutes: "Window notice", id: "Channel" };

/** "notifications.0.url" → "Notification 1, Webhook URL"; null for other paths. */
export function notifyLabelOf(path: string): string | null {
  const m = /^notifications(?:\.(\d+)(?:\.(\w+))?)?/.exec(path);
  if (!m) return null;
  if (m[1] === undefined) return "Notifications";
  return `Notification ${Number(m[1]) + 1}${m[2] ? `, ${FIELD_LABELS[m[2]] ?? m[2]}` : ""}`;
}

/** Webhook channels and the events each is told about; errors come from the server as notifications.<i>.<field>. */
export function NotificationsField({ rows, onChange, errors }: { rows: NotifyRow[]; onChange: (rows: NotifyRow[]) => void; errors: Record<string, string> }) {
  const id = useId();
  const set = (i: number, patch: Partial<NotifyRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  // A new channel puts the keyboard in its name; removing one puts it on "Add" so focus is never lost.
  useEffect(() => {
    if (focusRow === null) return;
    const target = focusRow >= 0 ? document.getElementById(`${id}-${focusRow}-name`) : fieldsetRef.current?.querySelector<HTMLElement>("[data-add-notify]");
    target?.focus();
    setFocusRow(null);
  }, [focusRow, id]);

  const errorOf = (i: number, field: string) => errors[`notifications.${i}.${field}`];
  const described = (inputId: string, error: string | undefined, hint?: boolean) =>
    [error ? `${inputId}-error` : null, hint ? `${inputId}-hint` : null].filter(Boolean).join(" ") || undefined;
  const fieldError = (inputId: string, label: string, error: string | undefined) =>
    error ? (
      <span id={`${inputId}-error`} className="mt-1 block text-xs font-medium text-red-700">
        {label} {error}
      </span>
    ) : null;

  return (
    <fieldset ref={fieldsetRef} className="space-y-3" data-testid="notify-field">
      <legend className="text-sm font-medium text-slate-800">Notifications</legend>
      <p className="text-xs text-slate-500">
        Webhooks told about this cutover as it happens: Slack&apos;s incoming-webhook format or a generic JSON body. A URL is stored encrypted and shown only as its host
        afterwards. The channels are part of the plan approvers sign; a failed delivery is retried and never holds up the cutover.
      </p>
      {errors.notifications && <p className="text-xs font-medium text-red-700">Notifications {errors.notifications}</p>}
      {rows.length === 0 && <p className="text-sm text-slate-600">No notification channels yet.</p>}
      {rows.map((r, i) => {
        const base = `${id}-${i}`;
        const leadUsed = r.events.includes("window_opens");
        return (
          <div key={r.id ?? `new-${i}`} className="grid grid-cols-12 gap-2 rounded-md border border-slate-200 p-3" data-testid="notify-row" role="group" aria-label={`Notification channel ${i + 1}`}>
            <div className="col-span-12 sm:col-span-4">
              <label htmlFor={`${base}-name`} className="text-xs font-medium">
                Name
              </label>
              <input
                id={`${base}-name`}
                name={`notifications.${i}.name`}
                className={inputClass}
                value={r.name}
                placeholder="#ops-cutover"
                autoComplete="off"
                onChange={(e) => set(i, { name: e.target.value })}
                aria-invalid={errorOf(i, "name") ? true : undefined}
                aria-describedby={described(`${base}-name`, errorOf(i, "name"))}
              />
              {fieldError(`${base}-name`, "Name", errorOf(i, "name") ?? errorOf(i, "id"))}
            </div>
            <div className="col-span-12 sm:col-span-3">
              <label htmlFor={`${base}-format`} className="text-xs font-medium">
                Format
              </label>
              <select
                id={`${base}-format`}
                name={`notifications.${i}.format`}
                className={inputClass}
                value={r.format}
                onChange={(e) => set(i, { format: e.target.value === "json" ? "json" : "slack" })}
                aria-invalid={errorOf(i, "format") ? true : undefined}
                aria-describedby={described(`${base}-format`, errorOf(i, "format"))}
              >
                <option value="slack">Slack incoming webhook</option>
                <option value="json">Generic JSON</option>
              </select>
              {fieldError(`${base}-format`, "Format", errorOf(i, "format"))}
            </div>
            <div className="col-span-12 sm:col-span-5">
              <label htmlFor={`${base}-url`} className="text-xs font-medium">
                Webhook URL{r.stored ? " (leave empty to keep it)" : ""}
              </label>
              <input
                id={`${base}-url`}
                name={`notifications.${i}.url`}
                className={inputClass}
                type="url"
                value={r.url}
                placeholder={r.stored ? `${r.stored}/…` : "https://hooks.slack.com/services/…"}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => set(i, { url: e.target.value })}
                aria-invalid={errorOf(i, "url") ? true : undefined}
                aria-describedby={described(`${base}-url`, errorOf(i, "url"), Boolean(r.stored))}
              />
              {r.stored && !errorOf(i, "url") && (
                <span id={`${base}-url-hint`} className="mt-1 block text-xs text-slate-500">
                  Stored: <code>{r.stored}/…</code>
                </span>
              )}
              {fieldError(`${base}-url`, "Webhook URL", errorOf(i, "url"))}
            </div>
            <fieldset className="col-span-12 sm:col-span-8" aria-describedby={errorOf(i, "events") ? `${base}-events-error` : undefined}>
              <legend className="text-xs font-medium">Events</legend>
              <div className="mt-1 grid gap-1 sm:grid-cols-2">
                {NOTIFY_EVENTS.map((e) => (
                  <label key={e.id} className="flex items-start gap-2 text-xs" title={e.description}>
                    <input
                      type="checkbox"
                      name={`notifications.${i}.events`}
                      value={e.id}
                      className="mt-0.5"
                      checked={r.events.includes(e.id)}
                      onChange={(ev) => set(i, { events: ev.target.checked ? ALL_EVENTS.filter((x) => x === e.id || r.events.includes(x)) : r.events.filter((x) => x !== e.id) })}
                      aria-invalid={errorOf(i, "events") ? true : undefined}
                    />
                    <span>{e.label}</span>
                  </label>
                ))}
              </div>
              {fieldError(`${base}-events`, "Events", errorOf(i, "events"))}
            </fieldset>
            <div className="col-span-6 sm:col-span-2">
              <label htmlFor={`${base}-lead`} className="text-xs font-medium">
                Window notice (min)
              </label>
              <input
                id={`${base}-lead`}
                name={`notifications.${i}.windowLeadMinutes`}
                className={inputClass}
                inputMode="numeric"
                value={r.windowLeadMinutes}
                onChange={(e) => set(i, { windowLeadMinutes: e.target.value })}
                aria-invalid={errorOf(i, "windowLeadMinutes") ? true : undefined}
                aria-describedby={described(`${base}-lead`, errorOf(i, "windowLeadMinutes"), true)}
              />
              <span id={`${base}-lead-hint`} className="mt-1 block text-xs text-slate-500">
                {leadUsed ? "Minutes before the window starts." : "Used by “Window opens soon”."}
              </span>
              {fieldError(`${base}-lead`, "Window notice", errorOf(i, "windowLeadMinutes"))}
            </div>
            <div className="col-span-6 flex items-end justify-end sm:col-span-2">
              <Button
                onClick={() => {
                  onChange(rows.filter((_, j) => j !== i));
                  setFocusRow(-1);
                }}
                aria-label={`Remove notification channel ${i + 1}`}
              >
                Remove
              </Button>
            </div>
          </div>
        );
      })}
      <Button
        data-add-notify
        onClick={() => {
          onChange([...rows, emptyNotifyRow()]);
          setFocusRow(rows.length);
        }}
      >
        Add a notification channel
      </Button>
    </fieldset>
  );
}
