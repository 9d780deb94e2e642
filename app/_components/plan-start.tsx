"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import type { CutoverDetail } from "./plan-form";
import { Alert, Button, Card, Dialog, inputClass } from "./ui";

/** The gate's ISO instants in the viewer's own clock ("the window opens at 21 Nov 2026, 22:00 CET"). */
function readable(reason: string): string {
  return reason.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, (iso) =>
    new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }),
  );
}

/** The live start: enabled only when the gate holds for you, and it says why not. */
export function StartPanel({ cutover: c, activeRunId }: { cutover: CutoverDetail; activeRunId: string | null }) {
  const { me, can } = useMe();
  const [confirming, setConfirming] = useState(false);
  const reasons = [...(!me || can("run.start") ? [] : ["your role cannot start runs"]), ...(activeRunId ? ["a run is in progress"] : []), ...(c.target ? [] : ["the target database is not set"]), ...c.gate.reasons.map(readable)];
  const ready = Boolean(me) && reasons.length === 0;
  return (
    <Card title="Start the cutover" id="start-heading">
      {ready ? (
        <Alert tone="success">The window is open and the required approvers signed off this exact plan.</Alert>
      ) : reasons.length === 0 ? null : (
        <div className="text-sm">
          <p className="font-medium">Cannot start yet:</p>
          <ul id="start-blocked" className="mt-1 list-disc pl-5 text-slate-700" data-testid="gate-reasons">
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      <Button variant="danger" className="mt-4" disabled={!ready} aria-describedby={ready ? undefined : "start-blocked"} onClick={() => setConfirming(true)}>
        Start live cutover
      </Button>
      {confirming && <ConfirmStart cutover={c} onClose={() => setConfirming(false)} />}
    </Card>
  );
}

function ConfirmStart({ cutover: c, onClose }: { cutover: CutoverDetail; onClose: () => void }) {
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const start = useMutation({
    mutationFn: () => apiSend<{ run: { id: string } }>("POST", `/api/cutovers/${c.id}/runs`, { kind: "live" }),
    onSuccess: async ({ run }) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.cutover(c.id) });
      router.push(`/runs/${run.id}`);
    },
  });
  return (
    <Dialog title="Start the live cutover?" onClose={onClose}>
      <p>
        This is production. It puts <strong>{c.app.name}</strong> into maintenance mode, copies its database to <code>{c.target}</code> and switches the app to it. Customers see the
        maintenance page until it is done. You can roll back at any time.
      </p>
      <label htmlFor={id} className="block font-medium">
        Type the app name, {c.app.name}, to confirm
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim() === c.app.name && !start.isPending) start.mutate();
        }}
      >
        <input id={id} className={inputClass} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
      </form>
      {start.error && <Alert>{start.error.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" disabled={typed.trim() !== c.app.name || start.isPending} onClick={() => start.mutate()}>
          {start.isPending ? "Starting…" : "Start now"}
        </Button>
      </div>
    </Dialog>
  );
}
