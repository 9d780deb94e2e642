import { createCalendarFeed } from "@/lib/calendar/cutover-calendar";
import { webEnv } from "@/lib/env/web";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** Creates the cutover's calendar feed URL (replacing an earlier one); the answer holds it, once. */
export const POST = route(async (_req, ctx, { params }: Params) => {
  const feed = await createCalendarFeed({ ctx, input: { cutoverId: (await params).id, publicUrl: webEnv().publicUrl } });
  return Response.json(feed, { status: 201 });
});
