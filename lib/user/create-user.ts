import { z } from "zod";
import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { conflict } from "@/lib/errors";
import { hashPassword } from "@/lib/security/password";
import { validate } from "@/lib/validate";

export const CreateUserInput = z.object({
  email: z.string().trim().toLowerCase().email("must be an email address").max(254),
  name: z.string().trim().min(1, "is required").max(120),
  role: z.enum(["admin", "operator", "approver", "viewer"], { message: "must be admin, operator, approver or viewer" }),
  password: z.string().min(12, "must be at least 12 characters").max(200).optional(),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

/** Creates an account; the password is stored only as a scrypt hash. */
export async function createUser({ ctx, input }: { ctx: Ctx; input: CreateUserInput }) {
  authorize(ctx, "user.manage");
  const data = validate(CreateUserInput, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  return inTransaction(ctx, async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email } })) throw conflict(`a user with email ${data.email} exists`);
    const user = await tx.user.create({
      data: { email: data.email, name: data.name, role: data.role },
      select: { id: true, email: true, name: true, role: true },
    });
    // Password sign-in lives in an account row, where the auth library looks for it.
    if (passwordHash) await tx.account.create({ data: { userId: user.id, accountId: user.id, providerId: "credential", password: passwordHash } });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      after: user,
      at: ctx.now(),
    });
    return user;
  });
}
