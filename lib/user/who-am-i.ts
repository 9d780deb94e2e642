import { authorize, permissionsOf } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { DomainError, notFound } from "@/lib/errors";

/** The signed-in person and what their role lets them do, so pages show only what will work. */
export async function whoAmI({ ctx }: { ctx: Ctx }) {
  authorize(ctx, "cutover.read");
  if (ctx.actor.type !== "user") throw new DomainError("unauthorized", "sign in to see who you are");
  const user = await ctx.db.user.findUnique({ where: { id: ctx.actor.id }, select: { id: true, email: true, name: true, role: true } });
  if (!user) throw notFound("user");
  return { user, permissions: permissionsOf(ctx.actor.role) };
}
