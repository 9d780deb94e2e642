import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** A Prisma client over node-postgres; each process creates one at boot. */
export function createDb(connectionString: string, options: { max?: number } = {}) {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}

export type Db = ReturnType<typeof createDb>;
/** The client inside db.$transaction(async (tx) => …). */
export type Tx = Prisma.TransactionClient;
