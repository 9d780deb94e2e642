import { testTargetConnection } from "@/lib/cutover/test-target-connection";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

/** Tests a target database URL (or a plan's stored one): server version and whether it is empty. */
export const POST = route(async (req, ctx) => testTargetConnection({ ctx, input: (await jsonBody(req)) as never }));
