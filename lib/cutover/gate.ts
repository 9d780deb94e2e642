/** Facts the gate looks at; pure so the UI (start button) and the worker (gate step) agree. */
export interface GateFacts {
  now: Date;
  windowStartsAt: Date | null;
  windowEndsAt: Date | null;
  requiredApprovals: number;
  /** Approving sign-offs for the current plan hash, one per user. */
  approverIds: string[];
  /** Any rejection for the current plan hash blocks the start. */
  rejections: number;
  /** The person who will start it; their own approval does not count alone. */
  operatorId: string | null;
}

export interface GateResult {
  ok: boolean;
  reasons: string[];
}

/** The window is open and enough people other than the operator approved this exact plan. */
export function evaluateGate(f: GateFacts): GateResult {
  const reasons: string[] = [];
  if (!f.windowStartsAt || !f.windowEndsAt) reasons.push("the maintenance window is not scheduled");
  else if (f.now < f.windowStartsAt) reasons.push(`the window opens at ${f.windowStartsAt.toISOString()}`);
  else if (f.now >= f.windowEndsAt) reasons.push(`the window closed at ${f.windowEndsAt.toISOString()}`);
  const approvers = new Set(f.approverIds);
  if (approvers.size < f.requiredApprovals) {
    reasons.push(`${approvers.size} of ${f.requiredApprovals} required sign-offs for this plan version`);
  } else if (f.requiredApprovals > 0 && f.operatorId && [...approvers].every((id) => id === f.operatorId)) {
    reasons.push("the operator cannot be the only approver");
  }
  if (f.rejections > 0) reasons.push(`${f.rejections} approver(s) rejected this plan version`);
  return { ok: reasons.length === 0, reasons };
}

/** The gate for a stored plan and the person who would start it (its sign-offs of any hash). */
export function cutoverGate(
  cutover: { planHash: string; windowStartsAt: Date | null; windowEndsAt: Date | null; requiredApprovals: number; signOffs: Array<{ userId: string; planHash: string; decision: string }> },
  now: Date,
  operatorId: string | null,
): GateResult {
  const current = cutover.signOffs.filter((s) => s.planHash === cutover.planHash);
  return evaluateGate({
    now,
    windowStartsAt: cutover.windowStartsAt,
    windowEndsAt: cutover.windowEndsAt,
    requiredApprovals: cutover.requiredApprovals,
    approverIds: current.filter((s) => s.decision === "approve").map((s) => s.userId),
    rejections: current.filter((s) => s.decision === "reject").length,
    operatorId,
  });
}
