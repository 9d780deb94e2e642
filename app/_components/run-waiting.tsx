"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import Markdown from "react-markdown";
import type { RunView } from "@/lib/run/get-run";
import { ApiError, apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { Alert, Button, inputClass } from "./ui";

type Waiting = NonNullable<RunView["waiting"]>;

/**
 * The step the run pauses at, shown to everyone watching: its instructions (Markdown, raw HTML
 * never rendered) and, for a person who may decide, its decisions; a skip or failure asks why.
 */
export function WaitingPanel({ run, waiting, startedById }: { run: RunView; waiting: Waiting; startedById: string | null }) {
  const { me } = useMe();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const [missingReason, setMissingReason] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (decision: string) => apiSend("POST", `/api/runs/${run.id}/steps/${waiting.key}/decision`, { decision, reason: reason.trim() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.run(run.id) }),
  });
  const role = me?.user.role;
  const isOperator = me?.user.id === startedById;
  const blocker = !me
    ? null
    : role !== waiting.role && role !== "admin"
      ? `Only a person with the ${waiting.role} role can decide this step (you are ${role}).`
      : waiting.notTheOperator && isOperator
        ? "You started this run, so someone else must decide this step."
        : null;
  const submit = (decision: Waiting["decisions"][number]) => {
    if (decision.needsReason && !reason.trim()) return setMissingReason(`Say why you ${decision.label.toLowerCase()}.`);
    setMissingReason(null);
    decide.mutate(decision.id);
  };
  return (
    <section aria-labelledby="waiting-heading" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-5 shadow-sm" data-testid="waiting-panel" data-step={waiting.key}>
      <h2 id="waiting-heading" className="text-base font-semibold text-amber-950">
        Waiting for a person: {waiting.title}
      </h2>
      <p className="mt-1 text-xs text-amber-900">
        Step <code>{waiting.key}</code>
        {waiting.since && <> · since {new Date(waiting.since).toLocaleTimeString()}</>}
        {waiting.timeoutMinutes && <> · fails after {waiting.timeoutMinutes} min without a decision</>}
        {" · "}decided by {waiting.notTheOperator ? `an ${waiting.role} other than the run's operator` : `a person with the ${waiting.role} role`}
      </p>
      <div className="prose-sm mt-3 max-w-none rounded-md bg-white p-3 text-sm text-slate-900 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_pre]:bg-slate-100 [&_pre]:p-2 [&_ul]:list-disc [&_ul]:pl-5" data-testid="waiting-instructions">
        <Markdown skipHtml>{waiting.instructions}</Markdown>
      </div>
      {blocker ? (
        <p className="mt-3 text-sm text-amber-900">{blocker}</p>
      ) : (
        me && (
          <div className="mt-3 space-y-2">
            <div>
              <label htmlFor={reasonId} className="block text-xs font-medium">
                Reason or note (required to skip, fail or reject)
              </label>
              <textarea id={reasonId} rows={2} className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={missingReason ? true : undefined} />
              {missingReason && <p className="mt-1 text-xs font-medium text-red-700">{missingReason}</p>}
            </div>
            <div className="flex flex-wrap gap-2">
              {waiting.decisions.map((d) => (
                <Button key={d.id} variant={d.fails ? "danger" : d.needsReason ? "secondary" : "primary"} disabled={decide.isPending} onClick={() => submit(d)}>
                  {d.label}
                </Button>
              ))}
            </div>
            {decide.error && <Alert>Not recorded: {decide.error instanceof ApiError ? decide.error.message : decide.error.message}</Alert>}
            {decide.isSuccess && <Alert tone="success">Recorded; the run goes on in a moment.</Alert>}
          </div>
        )
      )}
    </section>
  );
}
