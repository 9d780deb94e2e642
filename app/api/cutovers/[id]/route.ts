import { getCutover } from "@/lib/cutover/get-cutover";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** The plan, its steps, sign-offs and recent runs. */
export const GET = route(async (_req, ctx, { params }: Params) => getCutover({ ctx, input: { cutoverId: (await params).id } }));

/** Edits the plan: body { version, …fields }; the plan hash changes and older sign-offs stop counting. */
export const PATCH = route(async (req, ctx, { params }: Params) => {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const updated = await updateCutover({ ctx, input: { ...body, cutoverId: (await params).id } as never });
  return { id: updated.id, version: updated.version, planHash: updated.planHash };
});
