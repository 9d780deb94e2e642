import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

/** Your personal API tokens (values are never shown again). */
export const GET = route(async (_req, ctx) => ({ tokens: await listApiTokens({ ctx }) }));

/** Creates a token: body { "name": "ci" }; the answer holds the value, once. */
export const POST = route(async (req, ctx) => {
  const body = (await jsonBody(req)) as { name?: string };
  return Response.json(await createApiToken({ ctx, input: { name: body.name ?? "" } }), { status: 201 });
});
