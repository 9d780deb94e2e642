import { calendarFeed } from "@/lib/calendar/cutover-calendar";
import { feedTokenOf, icsResponse } from "@/lib/calendar/ics-response";
import { webEnv } from "@/lib/env/web";
import { notFound } from "@/lib/errors";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ token: string }> };

/** A cutover's calendar feed, for calendar apps that cannot sign in: /api/calendar/<feed token>.ics. */
export const GET = route(async (_req, ctx, { params }: Params) => {
  const token = feedTokenOf((await params).token);
  if (!token) throw notFound("calendar feed");
  const { cutoverId, ics } = await calendarFeed({ ctx, input: { token, publicUrl: webEnv().publicUrl } });
  return icsResponse(ics, { cutoverId, download: false });
});
