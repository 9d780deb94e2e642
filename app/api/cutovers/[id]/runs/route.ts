import { startRun } from "@/lib/run/start-run";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** Starts a run: body { "kind": "preflight" | "rehearsal" | "live" }. */
export const POST = route(async (req: Request, ctx, { params }: Params) => {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const run = await startRun({ ctx, input: { cutoverId: (await params).id, kind: body.kind as "live" } });
  return Response.json({ run: { id: run.id, status: run.status, kind: run.kind } }, { status: 201 });
});
