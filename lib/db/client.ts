import { PrismaPg } from "@prisma/adapter-pg";
import { createPool } from "@/lib/pg/connect";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** A Prisma client over node-postgres; each process creates one at boot. */
export function createDb(connectionString: string, options: { max?: number } = {}) {
  // Our pool, so Switchyard's own database gets TLS as libpq would negotiate it, too.
  const adapter = new PrismaPg(createPool(connectionString, { max: options.max ?? 10 }), { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

export type Db = ReturnType<typeof createDb>;
/** The client inside db.$transaction(async (tx) => …). */
export type Tx = Prisma.TransactionClient;
