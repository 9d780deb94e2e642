import type { Db, Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import type { SecretKey } from "@/lib/security/secret-key";

/** Who is acting: a signed-in person, or one of Switchyard's own processes. */
export type Actor =
  | { type: "user"; id: string; email: string; role: Role }
  | { type: "system"; name: "worker" | "web" | "seed" | "dev" | "cli" | "test" };

/** What every use case receives besides its input. */
export interface Ctx {
  db: Db;
  actor: Actor;
  now: () => Date;
  /** The key that seals secrets at rest (database URLs, API tokens). */
  secretKey: SecretKey;
  /** Set when the verb runs inside a caller's transaction. */
  tx?: Tx;
}

/** Runs fn in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.tx ? fn(ctx.tx) : ctx.db.$transaction(fn);
}

/** The label stored in audit rows and transitions, e.g. "user:ana@example.com" or "system:worker". */
export function actorLabel(actor: Actor): string {
  return actor.type === "user" ? `user:${actor.email}` : `system:${actor.name}`;
}

export function actorId(actor: Actor): string | null {
  return actor.type === "user" ? actor.id : null;
}

export const systemActor = (name: Extract<Actor, { type: "system" }>["name"]): Actor => ({ type: "system", name });
