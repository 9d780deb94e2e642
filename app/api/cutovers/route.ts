import { createCutover } from "@/lib/cutover/create-cutover";
import { listCutovers } from "@/lib/cutover/list-cutovers";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

export const dynamic = "force-dynamic";

export const GET = route(async (_req, ctx) => ({ cutovers: await listCutovers({ ctx }) }));

/** Creates a draft plan with the default steps; the target URL is sealed and only ever shown masked. */
export const POST = route(async (req, ctx) => {
  const cutover = await createCutover({ ctx, input: (await jsonBody(req)) as never });
  return Response.json({ id: cutover.id, version: cutover.version, planHash: cutover.planHash, target: cutover.targetDatabaseDisplay }, { status: 201 });
});
