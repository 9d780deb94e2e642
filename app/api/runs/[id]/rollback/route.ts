import { requestRollback } from "@/lib/run/request-rollback";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** One request rolls the app back: body { "reason"?: string }. */
export const POST = route(async (req: Request, ctx, { params }: Params) => {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const run = await requestRollback({ ctx, input: { runId: (await params).id, reason: body.reason as string | undefined } });
  return Response.json({ run: { id: run.id, status: run.status } }, { status: 202 });
});
