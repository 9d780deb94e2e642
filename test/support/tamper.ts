import type { Db } from "@/lib/db/client";

/** Rewrites one audit row the way only a superuser could (around the append-only trigger). */
export async function tamperWithAuditEvent(db: Db, id: bigint): Promise<void> {
  await db.$transaction([
    db.$executeRawUnsafe(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`),
    db.$executeRawUnsafe(`UPDATE audit_events SET actor = 'user:mallory@example.com' WHERE id = ${id}`),
    db.$executeRawUnsafe(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`),
  ]);
}
