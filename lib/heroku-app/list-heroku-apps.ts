import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";

/** Connected Heroku apps for the plan editor; their tokens are never part of the answer. */
export async function listHerokuApps({ ctx }: { ctx: Ctx }) {
  authorize(ctx, "cutover.read");
  return ctx.db.herokuApp.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, apiBaseUrl: true, createdAt: true } });
}
