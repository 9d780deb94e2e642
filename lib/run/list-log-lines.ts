import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/validate";

export const LOG_PAGE_MAX = 1000;
export const LOG_PAGE_DEFAULT = 500;
/** seq is a PostgreSQL integer. */
const SEQ_MAX = 2_147_483_647;

const seq = (min: number) =>
  z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(min, `must be ${min} or more`)
    .max(SEQ_MAX, `must be at most ${SEQ_MAX}`);

export const ListLogLinesInput = z
  .object({
    runId: z.string({ error: "must be a run id" }).uuid("must be a run id"),
    afterSeq: seq(0).optional(),
    beforeSeq: seq(1).optional(),
    limit: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(1, "must be 1 or more")
      .max(LOG_PAGE_MAX, `must be at most ${LOG_PAGE_MAX}`)
      .default(LOG_PAGE_DEFAULT),
    /** Only lines containing this text (case-insensitive); paging works the same over the matches. */
    q: z.string().max(200, "is too long (200 characters at most)").optional(),
  })
  .refine((v) => v.afterSeq === undefined || v.beforeSeq === undefined, { path: ["beforeSeq"], message: "cannot be combined with afterSeq" });
export type ListLogLinesInput = z.input<typeof ListLogLinesInput>;

/**
 * A page of a run's log, always in ascending seq order and never more than `limit` lines:
 * `afterSeq` → the first lines after it (paging forward); `beforeSeq` → the last lines before it
 * (paging backward); neither → the newest lines. `hasMore` says whether more lines lie beyond the
 * page in the direction of paging (newer for afterSeq, older otherwise). `lastSeq` is the run's
 * highest seq at the time of reading, at least the seq of every line returned.
 */
export async function listLogLines({ ctx, input }: { ctx: Ctx; input: ListLogLinesInput }) {
  authorize(ctx, "cutover.read");
  const { runId, afterSeq, beforeSeq, limit, q } = validate(ListLogLinesInput, input);
  const db = ctx.tx ?? ctx.db;
  const forward = afterSeq !== undefined;
  const rows = await db.logLine.findMany({
    where: {
      runId,
      ...(forward ? { seq: { gt: afterSeq } } : beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}),
      ...(q ? { text: { contains: q, mode: "insensitive" as const } } : {}),
    },
    orderBy: { seq: forward ? "asc" : "desc" },
    take: limit + 1,
    select: { seq: true, stream: true, text: true, createdAt: true, stepRunId: true },
  });
  // Read after the lines: lines and last_log_seq commit together, so lastSeq covers every line read.
  const run = await db.cutoverRun.findUnique({ where: { id: runId }, select: { lastLogSeq: true } });
  if (!run) throw notFound("run");
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (!forward) page.reverse();
  return {
    lines: page.map((l) => ({ seq: l.seq, stream: l.stream, text: l.text, at: l.createdAt, stepRunId: l.stepRunId })),
    lastSeq: run.lastLogSeq,
    hasMore,
  };
}
