import { getRun } from "@/lib/run/get-run";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** The run view: steps, transitions, smoke results, maintenance span, downtime report, what may be done next. */
export const GET = route(async (_req, ctx, { params }: Params) => getRun({ ctx, input: { runId: (await params).id } }));
