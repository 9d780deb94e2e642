import type { Ctx } from "@/lib/context";
import { DomainError } from "@/lib/errors";

/** The database answers and the schema is in place. */
export async function checkHealth({ ctx }: { ctx: Ctx }) {
  try {
    await ctx.db.$queryRaw`SELECT 1 FROM "_prisma_migrations" LIMIT 1`;
  } catch (err) {
    throw new DomainError("unavailable", `the database is not reachable or not migrated: ${(err as Error).message.split("\n")[0]}`);
  }
  return { ok: true };
}
