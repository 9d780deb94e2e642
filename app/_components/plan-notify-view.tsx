"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { NOTIFY_EVENTS } from "@/lib/notify/events";
import { apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import type { CutoverDetail } from "./plan-form";
import { Alert, Button, Card, Dialog, inputClass } from "./ui";

const EVENT_LABEL: Record<string, string> = Object.fromEntries(NOTIFY_EVENTS.map((e) => [e.id, e.label]));
const DELIVERY_STYLE: Record<string, string> = {
  delivered: "text-emerald-800",
  pending: "text-sky-800",
  failed: "text-red-700",
};

type FeedAnswer = { url: string; prefix: string; createdAt: string };

/** The plan's notification channels (URLs as host only, each one's latest delivery) and its calendar links. */
export function NotificationsCard({ cutover }: { cutover: CutoverDetail }) {
  const channels = cutover.notifications;
  return (
    <Card title="Notifications and calendar" id="notify-heading">
      <div className="space-y-4 text-sm">
        {channels.length === 0 ? (
          <p className="text-slate-600" data-testid="notify-empty">
            No notification channels. Editing the plan can add a Slack or JSON webhook for sign-offs, the window, the run and its end.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Notification channels">
            {channels.map((c) => (
              <li key={c.id} className="py-2" data-testid="notify-channel">
                <p>
                  <span className="font-medium">{c.name}</span> <span className="text-slate-500">({c.format === "slack" ? "Slack" : "JSON"})</span> ·{" "}
                  <code data-testid="notify-url">{c.url}/…</code>
                </p>
                <p className="text-xs text-slate-600">
                  {c.events.map((e) => (e === "window_opens" ? `${EVENT_LABEL[e]} (${c.windowLeadMinutes} min before)` : (EVENT_LABEL[e] ?? e))).join(", ")}
                </p>
                {c.lastDelivery && (
                  <p className={`text-xs ${DELIVERY_STYLE[c.lastDelivery.status] ?? ""}`} data-testid="notify-last">
                    Latest: {EVENT_LABEL[c.lastDelivery.event] ?? c.lastDelivery.event} {c.lastDelivery.status}
                    {c.lastDelivery.status !== "delivered" && c.lastDelivery.attempts > 0 ? ` after ${c.lastDelivery.attempts} attempt(s)` : ""}
                    {c.lastDelivery.lastError && c.lastDelivery.status !== "delivered" ? `: ${c.lastDelivery.lastError}` : ""}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        <CalendarLinks cutover={cutover} />
      </div>
    </Card>
  );
}

function CalendarLinks({ cutover }: { cutover: CutoverDetail }) {
  const { can } = useMe();
  const queryClient = useQueryClient();
  const id = useId();
  const [created, setCreated] = useState<FeedAnswer | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const create = useMutation({
    mutationFn: () => apiSend<FeedAnswer>("POST", `/api/cutovers/${cutover.id}/calendar-feed`),
    onSuccess: async (feed) => {
      setCreated(feed);
      setCopied(false);
      await queryClient.invalidateQueries({ queryKey: queryKeys.cutover(cutover.id) });
      requestAnimationFrame(() => inputRef.current?.select());
    },
  });
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      inputRef.current?.select(); // no clipboard access: the URL is selected for Ctrl+C
    }
  };
  const scheduled = Boolean(cutover.windowStartsAt && cutover.windowEndsAt);
  return (
    <div className="space-y-2 border-t border-slate-100 pt-3">
      <div className="flex flex-wrap items-center gap-3">
        <a
          href={`/api/cutovers/${cutover.id}/calendar.ics`}
          download
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
          data-testid="calendar-download"
        >
          Add to calendar (.ics)
        </a>
        {can("cutover.edit") && (
          <Button onClick={() => (cutover.calendarFeed ? setConfirming(true) : create.mutate())} disabled={create.isPending}>
            {create.isPending ? "Creating…" : cutover.calendarFeed ? "Replace the calendar feed URL" : "Create a calendar feed URL"}
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500">
        {scheduled ? "One event for the window, in UTC; it updates with each plan version." : "The window is not scheduled yet: the file has no event until it is."}{" "}
        A feed URL lets a calendar app that cannot sign in subscribe; whoever has it sees the plan&apos;s name, app and window.
        {cutover.calendarFeed && !created ? ` A feed exists (${cutover.calendarFeed.prefix}…, created ${new Date(cutover.calendarFeed.createdAt).toLocaleString()}); replacing it stops the old URL.` : ""}
      </p>
      {create.error && <Alert>Could not create the feed: {create.error.message}</Alert>}
      {confirming && (
        <Dialog title="Replace the calendar feed URL?" onClose={() => setConfirming(false)}>
          <p>The current feed URL ({cutover.calendarFeed?.prefix}…) stops working at once: calendars subscribed to it no longer update until they subscribe to the new one.</p>
          <div className="flex justify-end gap-2">
            <Button onClick={() => setConfirming(false)}>Keep the current URL</Button>
            <Button
              variant="primary"
              onClick={() => {
                setConfirming(false);
                create.mutate();
              }}
            >
              Replace it
            </Button>
          </div>
        </Dialog>
      )}
      {created && (
        <Alert tone="success">
          <label htmlFor={`${id}-feed`} className="block font-medium">
            Calendar feed URL: copy it now, it is not shown again
          </label>
          <div className="mt-1 flex gap-2">
            <input id={`${id}-feed`} ref={inputRef} readOnly value={created.url} className={`${inputClass} mt-0 font-mono text-xs`} onFocus={(e) => e.target.select()} data-testid="calendar-feed-url" />
            <Button onClick={() => void copy()}>{copied ? "Copied" : "Copy"}</Button>
          </div>
        </Alert>
      )}
    </div>
  );
}
