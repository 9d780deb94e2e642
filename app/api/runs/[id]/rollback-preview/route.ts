import { previewRollback } from "@/lib/run/preview-rollback";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** What a rollback would do, and how many rows changed on the target since customers came back. */
export const GET = route(async (_req, ctx, { params }: Params) => previewRollback({ ctx, input: { runId: (await params).id } }));
