import { listCutovers } from "@/lib/cutover/list-cutovers";
import { route } from "@/app/_lib/route";

export const dynamic = "force-dynamic";

export const GET = route(async (_req, ctx) => ({ cutovers: await listCutovers({ ctx }) }));
