import { checkHealth } from "@/lib/health/check-health";
import { route } from "@/app/_lib/route";
import { webContext } from "@/app/_lib/server-context";

export const dynamic = "force-dynamic";

export const GET = route(async () => checkHealth({ ctx: webContext() }));
