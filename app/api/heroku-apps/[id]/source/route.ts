import { discoverAppSource } from "@/lib/heroku-app/discover-app-source";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** The app's current DATABASE add-on and attachment names (412 with what is wrong). */
export const GET = route(async (_req, ctx, { params }: Params) => discoverAppSource({ ctx, input: { herokuAppId: (await params).id } }));
