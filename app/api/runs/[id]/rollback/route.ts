import { requestRollback } from "@/lib/run/request-rollback";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";
import { webContext } from "@/app/_lib/server-context";

type Params = { params: Promise<{ id: string }> };

/** One request rolls the app back: body { "reason"?: string }. */
export const POST = route(async (req: Request, { params }: Params) => {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const run = await requestRollback({ ctx: webContext(), input: { runId: (await params).id, reason: body.reason as string | undefined } });
  return Response.json({ run: { id: run.id, status: run.status } }, { status: 202 });
});
