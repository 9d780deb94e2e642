import type { Db } from "@/lib/db/client";
import { chainHash } from "./hash";

export type ChainReport =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: string; reason: string };

const PAGE = 1000;

/** Walks the trail in order and reports the first event whose links or hash do not hold. */
export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  let prevHash = "";
  let checked = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const page = await db.auditEvent.findMany({
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor === undefined ? {} : { cursor: { id: cursor }, skip: 1 }),
    });
    for (const event of page) {
      const id = event.id.toString();
      if (event.prevHash !== prevHash) return { ok: false, checked, brokenAt: id, reason: "previous-hash link does not match" };
      if (chainHash(prevHash, event) !== event.hash) return { ok: false, checked, brokenAt: id, reason: "content does not match its hash" };
      prevHash = event.hash;
      checked++;
    }
    if (page.length < PAGE) return { ok: true, checked };
    cursor = page[page.length - 1]!.id;
  }
}
