import { gateKind } from "@/lib/steps/kinds/gate";
import { evaluateGate } from "@/lib/cutover/gate";
import { permanent } from "./step-error";
import { defineExecutor } from "./types";


/** Re-checks at execution time what startRun checked: the window and this plan version's sign-offs. */
export const gateStep = defineExecutor(gateKind, {
  timeoutMs: 30_000,
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: true,
  async run(ctx) {
    const cutover = await ctx.db.cutover.findUniqueOrThrow({ where: { id: ctx.plan.cutoverId }, include: { signOffs: { where: { planHash: ctx.plan.planHash } } } });
    if (cutover.planHash !== ctx.plan.planHash) throw permanent("the plan was edited after this run started; start a new run of the current version");
    const run = await ctx.db.cutoverRun.findUniqueOrThrow({ where: { id: ctx.runId } });
    const gate = evaluateGate({
      now: ctx.now(),
      windowStartsAt: cutover.windowStartsAt,
      windowEndsAt: cutover.windowEndsAt,
      requiredApprovals: cutover.requiredApprovals,
      approverIds: cutover.signOffs.filter((s) => s.decision === "approve").map((s) => s.userId),
      rejections: cutover.signOffs.filter((s) => s.decision === "reject").length,
      operatorId: run.startedById,
    });
    if (!gate.ok) throw permanent(`the gate does not hold: ${gate.reasons.join("; ")}`);
    ctx.log.info(`gate holds: window open, ${cutover.signOffs.length} sign-off(s) for plan ${ctx.plan.planHash.slice(0, 12)}`);
    return { output: { checkedAt: ctx.now().toISOString() } };
  },
});
