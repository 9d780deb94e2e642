import { z } from "zod";
import { actorLabel, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";
import { mintWsToken } from "@/lib/ws/token";

export const MintStreamTokenInput = z.object({ cutoverId: z.string().uuid("must be a cutover id") });

/** A 60-second token that lets the browser subscribe to this cutover's runs on the worker's /ws. */
export async function mintStreamToken({ ctx, input }: { ctx: Ctx; input: z.input<typeof MintStreamTokenInput> }) {
  authorize(ctx, "cutover.read");
  const data = validate(MintStreamTokenInput, input);
  const cutover = await ctx.db.cutover.findUnique({ where: { id: data.cutoverId }, select: { id: true } });
  if (!cutover) throw notFound("cutover");
  const userId = ctx.actor.type === "user" ? ctx.actor.id : actorLabel(ctx.actor);
  const ttlSeconds = 60;
  return { token: mintWsToken({ userId, cutoverId: cutover.id, ttlSeconds }, ctx.secretKey.bytes, ctx.now()), expiresInSeconds: ttlSeconds };
}
