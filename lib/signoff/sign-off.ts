import { z } from "zod";
import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { DomainError, notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";

export const SignOffInput = z.object({
  cutoverId: z.string().uuid("must be a cutover id"),
  /** The hash the approver saw; a stale page cannot approve a plan that changed since. */
  planHash: z.string().regex(/^[0-9a-f]{64}$/, "must be the plan hash shown on the page"),
  decision: z.enum(["approve", "reject"], { message: "must be approve or reject" }),
  comment: z.string().trim().max(2000, "is too long (2000 characters at most)").default(""),
});
export type SignOffInput = z.input<typeof SignOffInput>;

/** Records an approver's decision on one exact plan version. */
export async function signOff({ ctx, input }: { ctx: Ctx; input: SignOffInput }) {
  authorize(ctx, "signoff.decide");
  const data = validate(SignOffInput, input);
  if (ctx.actor.type !== "user") throw new DomainError("forbidden", "only a person can sign off");
  const userId = ctx.actor.id;
  return inTransaction(ctx, async (tx) => {
    const cutover = await tx.cutover.findUnique({ where: { id: data.cutoverId } });
    if (!cutover) throw notFound("cutover");
    if (cutover.planHash !== data.planHash) {
      throw new DomainError("conflict", "the plan changed since you opened it; review the new version and sign off again");
    }
    const existing = await tx.signOff.findUnique({ where: { cutoverId_userId_planHash: { cutoverId: cutover.id, userId, planHash: data.planHash } } });
    if (existing) throw new DomainError("conflict", `you already ${existing.decision === "approve" ? "approved" : "rejected"} this plan version`);
    const row = await tx.signOff.create({ data: { cutoverId: cutover.id, userId, planHash: data.planHash, decision: data.decision, comment: data.comment } });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: data.decision === "approve" ? "signoff.approve" : "signoff.reject",
      entityType: "cutover",
      entityId: cutover.id,
      after: { planHash: data.planHash, decision: data.decision, comment: data.comment },
      at: ctx.now(),
    });
    return row;
  });
}
