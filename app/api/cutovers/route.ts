import { listCutovers } from "@/lib/cutover/list-cutovers";
import { route } from "@/app/_lib/route";
import { webContext } from "@/app/_lib/server-context";

export const dynamic = "force-dynamic";

export const GET = route(async () => ({ cutovers: await listCutovers({ ctx: webContext() }) }));
