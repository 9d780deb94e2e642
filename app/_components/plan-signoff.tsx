"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ApiError, apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import type { CutoverDetail } from "./plan-form";
import { Alert, Button, Card, inputClass } from "./ui";

/** Sign-offs for this exact plan hash; older ones stay visible, struck through, so nobody mistakes them. */
export function SignOffPanel({ cutover: c }: { cutover: CutoverDetail }) {
  const { me, can } = useMe();
  const current = c.signOffs.filter((s) => s.current);
  const approvals = new Set(current.filter((s) => s.decision === "approve").map((s) => s.user.email)).size;
  const mine = current.find((s) => s.user.email === me?.user.email);
  const stale = c.signOffs.length - current.length;
  return (
    <Card title="Sign-off" id="signoff-heading">
      <p className="text-sm" data-testid="signoff-count">
        <strong>
          {approvals} of {c.requiredApprovals} sign-offs
        </strong>{" "}
        for plan version {c.version} (<code>{c.planHash.slice(0, 12)}</code>)
      </p>
      {stale > 0 && (
        <p className="mt-1 text-xs text-amber-800" data-testid="signoff-invalidated">
          {stale} sign-off(s) were for an earlier version of the plan and no longer count.
        </p>
      )}
      <ul className="mt-3 space-y-2 text-sm" aria-label="Sign-offs">
        {c.signOffs.length === 0 && <li className="text-slate-600">Nobody has signed off yet.</li>}
        {[...c.signOffs].reverse().map((s, i) => (
          <li key={i} className={s.current ? "" : "text-slate-400"} data-testid={s.current ? "signoff-current" : "signoff-stale"}>
            <span className={s.current ? "" : "line-through"}>
              <strong>{s.user.name || s.user.email}</strong>{" "}
              <span className={s.current ? (s.decision === "approve" ? "text-emerald-800" : "text-red-800") : ""}>{s.decision === "approve" ? "approved" : "rejected"}</span> ·{" "}
              <time dateTime={String(s.at)}>{new Date(s.at).toLocaleString()}</time>
              {s.comment && <> · “{s.comment}”</>}
            </span>
            {!s.current && <span className="ml-2 text-xs">(plan {s.planHash.slice(0, 12)}) for an earlier version — no longer counts</span>}
          </li>
        ))}
      </ul>
      {can("signoff.decide") && !mine && c.status === "draft" && <DecisionForm cutover={c} />}
      {mine && (
        <p className="mt-3 text-sm text-slate-600">
          You {mine.decision === "approve" ? "approved" : "rejected"} this version.
        </p>
      )}
    </Card>
  );
}

function DecisionForm({ cutover: c }: { cutover: CutoverDetail }) {
  const id = useId();
  const queryClient = useQueryClient();
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const [comment, setComment] = useState("");
  const [needsComment, setNeedsComment] = useState(false);
  const decide = useMutation({
    // The hash shown on this page is the one approved: if the plan changed meanwhile, the server answers 409.
    mutationFn: (decision: "approve" | "reject") => apiSend("POST", `/api/cutovers/${c.id}/sign-offs`, { planHash: c.planHash, decision, comment: comment.trim() || undefined }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.cutover(c.id) }),
  });
  const missingComment = needsComment && !comment.trim();
  // 409 also answers "you already decided"; only a changed plan needs a reload.
  const stale = decide.error instanceof ApiError && decide.error.status === 409 && /changed/.test(decide.error.message);
  return (
    <form className="mt-4 space-y-2 border-t border-slate-100 pt-4" onSubmit={(e) => e.preventDefault()} aria-label="Your decision">
      <p className="text-sm text-slate-700">
        You are deciding on plan version {c.version} (<code>{c.planHash.slice(0, 12)}</code>) exactly as shown on this page.
      </p>
      <label htmlFor={id} className="block text-sm font-medium">
        Comment
      </label>
      <textarea
        id={id}
        ref={commentRef}
        className={inputClass}
        rows={2}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder="What you checked, or why you reject it (required to reject)"
        aria-invalid={missingComment ? true : undefined}
        aria-describedby={missingComment ? `${id}-error` : undefined}
      />
      {missingComment && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          Say why you reject the plan, so its author can fix it.
        </p>
      )}
      <div className="flex gap-2">
        <Button variant="primary" onClick={() => decide.mutate("approve")} disabled={decide.isPending}>
          Approve this version
        </Button>
        <Button
          variant="danger"
          disabled={decide.isPending}
          onClick={() => {
            if (!comment.trim()) {
              setNeedsComment(true);
              return commentRef.current?.focus();
            }
            decide.mutate("reject");
          }}
        >
          Reject
        </Button>
      </div>
      {decide.error && (
        <Alert>
          {stale ? (
            <>
              The plan changed after this page showed it ({decide.error.message}); your decision was not recorded. Reload to review the current version.{" "}
              <Button
                className="ml-2"
                onClick={() => {
                  decide.reset();
                  void queryClient.invalidateQueries({ queryKey: queryKeys.cutover(c.id) });
                }}
              >
                Reload the plan
              </Button>
            </>
          ) : (
            <>Not recorded: {decide.error.message}</>
          )}
        </Alert>
      )}
    </form>
  );
}
