import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { listHerokuApps } from "@/lib/heroku-app/list-heroku-apps";
import { jsonBody } from "@/app/_lib/json-body";
import { route } from "@/app/_lib/route";

/** Connected Heroku apps (no tokens). */
export const GET = route(async (_req, ctx) => ({ apps: await listHerokuApps({ ctx }) }));

/** Connects an app: body { name, apiBaseUrl, apiToken }; the token is sealed and never shown again (admin). */
export const POST = route(async (req, ctx) => Response.json(await addHerokuApp({ ctx, input: (await jsonBody(req)) as never }), { status: 201 }));
