import { signOff } from "@/lib/signoff/sign-off";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** Approves or rejects one exact plan version: body { planHash, decision: "approve" | "reject", comment? }. */
export const POST = route(async (req, ctx, { params }: Params) => {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const row = await signOff({ ctx, input: { ...body, cutoverId: (await params).id } as never });
  return Response.json({ id: row.id, decision: row.decision, planHash: row.planHash }, { status: 201 });
});
