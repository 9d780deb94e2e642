import { listLogLines } from "@/lib/run/list-log-lines";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** A page of the run's log: ?afterSeq= pages forward, ?beforeSeq= backward, neither gives the newest; ?limit= 1..1000 (500); ?q= only lines containing it. */
export const GET = route(async (req, ctx, { params }: Params) => {
  const query = new URL(req.url).searchParams;
  return listLogLines({
    ctx,
    input: {
      runId: (await params).id,
      afterSeq: numberParam(query.get("afterSeq")),
      beforeSeq: numberParam(query.get("beforeSeq")),
      limit: numberParam(query.get("limit")),
      q: query.get("q") || undefined,
    },
  });
});

/** Absent or empty → undefined; a decimal number → that number; anything else → NaN, which the verb refuses by name. */
function numberParam(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
}
