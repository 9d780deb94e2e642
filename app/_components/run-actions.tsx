"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RunView } from "@/lib/run/get-run";
import { apiGet, apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { Alert, Button, Dialog, Loading } from "./ui";

interface Preview {
  canRollback: boolean;
  rowsChangedOnTarget: number | null;
  switchedAt: string | null;
  actions: string[];
}

/** Cancel and Roll back, each behind a confirmation that says what will happen. */
export function RunActions({ run }: { run: RunView }) {
  const { can } = useMe();
  const [open, setOpen] = useState<"rollback" | "cancel" | null>(null);
  return (
    <div className="flex gap-2">
      {run.canCancel && can("run.cancel") && <Button onClick={() => setOpen("cancel")}>Cancel run</Button>}
      {run.canRollback && can("run.rollback") && (
        <Button variant="danger" onClick={() => setOpen("rollback")}>
          Roll back
        </Button>
      )}
      {open === "rollback" && <RollbackDialog run={run} onClose={() => setOpen(null)} />}
      {open === "cancel" && <CancelDialog run={run} onClose={() => setOpen(null)} />}
    </div>
  );
}

function useRunMutation(run: RunView, action: "rollback" | "cancel", onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend("POST", `/api/runs/${run.id}/${action}`, {}),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.run(run.id) });
      onDone();
    },
  });
}

function RollbackDialog({ run, onClose }: { run: RunView; onClose: () => void }) {
  const preview = useQuery({ queryKey: queryKeys.rollbackPreview(run.id), queryFn: () => apiGet<Preview>(`/api/runs/${run.id}/rollback-preview`), staleTime: 0 });
  const rollback = useRunMutation(run, "rollback", onClose);
  const rows = preview.data?.rowsChangedOnTarget;
  return (
    <Dialog title="Roll back this cutover?" onClose={onClose}>
      {preview.isPending && <Loading what="what the rollback will do" />}
      {preview.error && <Alert>{preview.error.message}</Alert>}
      {preview.data && (
        <>
          <p>The worker will, in order:</p>
          <ol className="list-decimal space-y-1 pl-5" data-testid="rollback-actions">
            {preview.data.actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ol>
          <p className={`rounded-md px-3 py-2 ${rows ? "bg-amber-50 text-amber-900" : "bg-slate-50"}`} data-testid="rows-changed">
            {rows === null || rows === undefined
              ? "Rows changed on the target since customers came back: unknown (the target could not be reached)."
              : `${rows} row(s) changed on the target since customers came back.`}{" "}
            {rows !== 0 && "Those changes stay on the target; they are not copied back to the source."}
          </p>
        </>
      )}
      {rollback.error && <Alert>{rollback.error.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Keep going</Button>
        <Button variant="danger" disabled={rollback.isPending || !preview.data?.canRollback} onClick={() => rollback.mutate()}>
          {rollback.isPending ? "Rolling back…" : "Roll back now"}
        </Button>
      </div>
    </Dialog>
  );
}

function CancelDialog({ run, onClose }: { run: RunView; onClose: () => void }) {
  const cancel = useRunMutation(run, "cancel", onClose);
  return (
    <Dialog title="Cancel this run?" onClose={onClose}>
      <p>The current step is stopped. If the app was already touched you can roll it back afterwards.</p>
      {cancel.error && <Alert>{cancel.error.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Keep running</Button>
        <Button variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          Cancel run
        </Button>
      </div>
    </Dialog>
  );
}
