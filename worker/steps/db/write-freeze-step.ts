import { writeFreezeKind } from "@/lib/steps/kinds/write-freeze";
import { sourceUrl } from "../outputs";
import { lockSourceReadOnly, proveWriteFreeze, unlockSourceReadOnly } from "../postgres/write-freeze";
import { permanent } from "../step-error";
import { defineExecutor } from "../types";


/**
 * Proves the source takes no more writes, then makes it read-only, so nothing written after the
 * dump starts can be left behind. Rollback makes it writable again.
 */
export const writeFreezeStep = defineExecutor(writeFreezeKind, {
  timeoutMs: 120_000,
  retry: { attempts: 2, backoffMs: 5_000 },
  idempotent: true,
  async run(ctx, { observeMs }) {
    const url = await sourceUrl(ctx);
    const proof = await proveWriteFreeze({ sourceUrl: url, observeMs, log: ctx.log, signal: ctx.signal });
    if (!proof.ok) {
      const who = proof.writingClients.map((c) => `${c.application || "?"}@${c.clientAddr ?? "local"} (pid ${c.pid})`).join(", ");
      throw permanent(`the source still takes writes: ${proof.rowChanges} row change(s) in ${observeMs} ms${who ? ` from ${who}` : ""}; stop those clients (scale their dynos to 0) and retry`);
    }
    await lockSourceReadOnly(url, ctx.log);
    return { output: { rowChanges: proof.rowChanges, connectedClients: proof.connectedClients.length, readOnly: true } };
  },
  async rollback(ctx) {
    await unlockSourceReadOnly(await sourceUrl(ctx), ctx.log);
  },
});
