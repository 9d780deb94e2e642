"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { RunView } from "@/lib/run/get-run";
import { apiGet, apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { Alert, Button, Dialog, inputClass, Loading } from "./ui";

export interface RollbackPreview {
  canRollback: boolean;
  rowsChangedOnTarget: number | null;
  switchedAt: string | null;
  actions: string[];
}

/** Cancel and Roll back, shown when the run offers them and the viewer's role may use them, each behind a confirmation. */
export function RunActions({ run }: { run: RunView }) {
  const { can } = useMe();
  const [open, setOpen] = useState<"rollback" | "cancel" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const showCancel = run.canCancel && can("run.cancel");
  const showRollback = run.canRollback && can("run.rollback");
  if (!showCancel && !showRollback && !notice) return null;
  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {showCancel && <Button onClick={() => setOpen("cancel")}>Cancel run…</Button>}
        {showRollback && (
          <Button variant="danger" onClick={() => setOpen("rollback")} aria-haspopup="dialog">
            Roll back…
          </Button>
        )}
      </div>
      {notice && (
        <p role="status" className="text-sm text-slate-700">
          {notice}
        </p>
      )}
      {open === "rollback" && <RollbackDialog run={run} onClose={() => setOpen(null)} onDone={() => done("Rollback requested: follow its steps below.")} />}
      {open === "cancel" && <CancelDialog run={run} onClose={() => setOpen(null)} onDone={() => done("Cancel requested: the current step is being stopped.")} />}
    </div>
  );
}

function useRunMutation(run: RunView, action: "rollback" | "cancel", onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => apiSend("POST", `/api/runs/${run.id}/${action}`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: async () => {
      onDone();
      await queryClient.invalidateQueries({ queryKey: queryKeys.run(run.id) });
    },
  });
}

function ReasonField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <label htmlFor={id} className="block text-xs font-medium text-slate-700">
      Reason (kept in the audit trail, optional)
      <input id={id} className={inputClass} maxLength={500} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

function RowsChanged({ preview }: { preview: RollbackPreview }) {
  const rows = preview.rowsChangedOnTarget;
  if (rows === null) {
    return (
      <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="rows-changed">
        Rows changed on the target since customers came back: <strong>unknown</strong> (the target database could not be reached to count them). Any such
        changes will <strong>NOT</strong> be carried back to the source.
      </p>
    );
  }
  if (rows === 0) {
    return (
      <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2" data-testid="rows-changed">
        <strong>0 row(s) changed on the target</strong> since customers came back, so nothing written there is left behind.
      </p>
    );
  }
  return (
    <p className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-950" data-testid="rows-changed">
      <strong>{rows.toLocaleString()} row(s) changed on the target</strong> since customers came back
      {preview.switchedAt && <> (the switch was at {new Date(preview.switchedAt).toLocaleString()})</>}. Those changes will <strong>NOT</strong> be carried back to
      the source: after the rollback the app uses the source again and they are missing there.
    </p>
  );
}

function RollbackDialog({ run, onClose, onDone }: { run: RunView; onClose: () => void; onDone: () => void }) {
  const preview = useQuery({
    queryKey: queryKeys.rollbackPreview(run.id),
    queryFn: () => apiGet<RollbackPreview>(`/api/runs/${run.id}/rollback-preview`),
    staleTime: 0,
    gcTime: 0,
  });
  const [reason, setReason] = useState("");
  const rollback = useRunMutation(run, "rollback", onDone);
  return (
    <Dialog title="Roll back this cutover?" onClose={onClose}>
      {preview.isPending && <Loading what="what the rollback will do" />}
      {preview.error && <Alert>Could not work out what the rollback would do: {preview.error.message}</Alert>}
      {preview.data && (
        <>
          {!preview.data.canRollback && <Alert tone="warning">This run no longer offers a rollback (its state changed).</Alert>}
          <p>The worker will, in this order:</p>
          <ol className="list-decimal space-y-1 pl-5" data-testid="rollback-actions">
            {preview.data.actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ol>
          <RowsChanged preview={preview.data} />
        </>
      )}
      <ReasonField value={reason} onChange={setReason} />
      {rollback.error && <Alert>The rollback was not started: {rollback.error.message}</Alert>}
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onClose}>Keep the cutover</Button>
        <Button variant="danger" disabled={rollback.isPending || !preview.data?.canRollback} onClick={() => rollback.mutate(reason)}>
          {rollback.isPending ? "Rolling back…" : "Roll back now"}
        </Button>
      </div>
    </Dialog>
  );
}

function CancelDialog({ run, onClose, onDone }: { run: RunView; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const cancel = useRunMutation(run, "cancel", onDone);
  return (
    <Dialog title="Cancel this run?" onClose={onClose}>
      <p>The worker stops the current step and runs no further step.</p>
      {run.kind === "live" && <p>If the app was already touched (maintenance on, workers scaled down), it stays that way until you roll back.</p>}
      <ReasonField value={reason} onChange={setReason} />
      {cancel.error && <Alert>The run was not cancelled: {cancel.error.message}</Alert>}
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onClose}>Keep running</Button>
        <Button variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate(reason)}>
          {cancel.isPending ? "Cancelling…" : "Cancel run"}
        </Button>
      </div>
    </Dialog>
  );
}
