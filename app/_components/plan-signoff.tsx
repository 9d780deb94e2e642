"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiSend } from "@/app/_lib/api-client";
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
  return (
    <Card title="Sign-off" id="signoff-heading">
      <p className="text-sm" data-testid="signoff-count">
        <strong>
          {approvals} of {c.requiredApprovals}
        </strong>{" "}
        required sign-offs for plan version {c.version} (<code>{c.planHash.slice(0, 12)}</code>)
      </p>
      <ul className="mt-3 space-y-2 text-sm" aria-label="Sign-offs">
        {c.signOffs.length === 0 && <li className="text-slate-600">Nobody has signed off yet.</li>}
        {c.signOffs.map((s, i) => (
          <li key={i} className={s.current ? "" : "text-slate-400"} data-testid={s.current ? "signoff-current" : "signoff-stale"}>
            <span className={s.current ? "" : "line-through"}>
              <strong>{s.user.name || s.user.email}</strong> {s.decision === "approve" ? "approved" : "rejected"} · {new Date(s.at).toLocaleString()}
              {s.comment && <> · “{s.comment}”</>}
            </span>
            {!s.current && <span className="ml-2 text-xs no-underline">for an earlier version — no longer counts</span>}
          </li>
        ))}
      </ul>
      {can("signoff.decide") && !mine && c.status !== "archived" && <DecisionForm cutover={c} />}
      {mine && <p className="mt-3 text-sm text-slate-600">You {mine.decision === "approve" ? "approved" : "rejected"} this version.</p>}
    </Card>
  );
}

function DecisionForm({ cutover: c }: { cutover: CutoverDetail }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const [needsComment, setNeedsComment] = useState(false);
  const decide = useMutation({
    mutationFn: (decision: "approve" | "reject") => apiSend("POST", `/api/cutovers/${c.id}/sign-offs`, { planHash: c.planHash, decision, comment }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.cutover(c.id) }),
  });
  return (
    <form className="mt-4 space-y-2" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={id} className="block text-sm font-medium">
        Comment
      </label>
      <textarea id={id} className={inputClass} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What you checked, or why you reject it" />
      {needsComment && !comment.trim() && <p className="text-xs font-medium text-red-700">Say why you reject the plan, so its author can fix it.</p>}
      <div className="flex gap-2">
        <Button variant="primary" onClick={() => decide.mutate("approve")} disabled={decide.isPending}>
          Approve this version
        </Button>
        <Button
          variant="danger"
          disabled={decide.isPending}
          onClick={() => {
            if (!comment.trim()) return setNeedsComment(true);
            decide.mutate("reject");
          }}
        >
          Reject
        </Button>
      </div>
      {decide.error && (
        <Alert>
          {decide.error.message}
          {(decide.error as { status?: number }).status === 409 && " Reload the page to see the current plan."}
        </Alert>
      )}
    </form>
  );
}
