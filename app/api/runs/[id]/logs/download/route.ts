import { exportRunLog } from "@/lib/run/export-run-log";
import { route } from "@/app/_lib/route";
import { streamedDownload } from "@/app/_lib/stream-response";

type Params = { params: Promise<{ id: string }> };

/** The whole log as a text file, streamed page by page. */
export const GET = route(async (_req, ctx, { params }: Params) => {
  const { runId, lines } = await exportRunLog({ ctx, input: { runId: (await params).id } });
  return streamedDownload(lines, "text/plain; charset=utf-8", `switchyard-run-${runId}.log`);
});
