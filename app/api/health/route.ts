import { checkHealth } from "@/lib/health/check-health";
import { route } from "@/app/_lib/route";

export const dynamic = "force-dynamic";

export const GET = route(async (_req, ctx) => checkHealth({ ctx }));
