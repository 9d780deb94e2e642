import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";

export const ExportRunLogInput = z.object({ runId: z.string().uuid("must be a run id") });

const PAGE = 5000;

/**
 * The whole log of a run as text, one `seq<TAB>time<TAB>stream<TAB>text` line per log line,
 * read page by page so a million-line log never sits in memory at once.
 */
export async function exportRunLog({ ctx, input }: { ctx: Ctx; input: z.input<typeof ExportRunLogInput> }) {
  authorize(ctx, "cutover.read");
  const { runId } = validate(ExportRunLogInput, input);
  const run = await ctx.db.cutoverRun.findUnique({ where: { id: runId }, select: { id: true, lastLogSeq: true } });
  if (!run) throw notFound("run");
  return { runId: run.id, lines: pages(ctx, run.id) };
}

async function* pages(ctx: Ctx, runId: string): AsyncGenerator<string> {
  let afterSeq = 0;
  for (;;) {
    const rows = await ctx.db.logLine.findMany({
      where: { runId, seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: PAGE,
      select: { seq: true, stream: true, text: true, createdAt: true },
    });
    if (rows.length === 0) return;
    yield rows.map((l) => `${l.seq}\t${l.createdAt.toISOString()}\t${l.stream}\t${l.text.replace(/\r?\n/g, "\\n")}\n`).join("");
    afterSeq = rows[rows.length - 1]!.seq;
    if (rows.length < PAGE) return;
  }
}
