import { whoAmI } from "@/lib/user/who-am-i";
import { route } from "@/app/_lib/route";

/** The signed-in person and their permissions. */
export const GET = route(async (_req, ctx) => whoAmI({ ctx }));
