import { decideStep } from "@/lib/run/decide-step";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string; key: string }> };

/** Decides a step the run waits at: body { "decision": "done" | "skipped" | …, "reason"?: string }. */
export const POST = route(async (req: Request, ctx, { params }: Params) => {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const { id, key } = await params;
  const decided = await decideStep({ ctx, input: { runId: id, stepKey: key, decision: body.decision as string, reason: body.reason as string | undefined } });
  return Response.json(decided, { status: 201 });
});
