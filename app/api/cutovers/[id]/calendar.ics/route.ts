import { cutoverCalendar } from "@/lib/calendar/cutover-calendar";
import { icsResponse } from "@/lib/calendar/ics-response";
import { webEnv } from "@/lib/env/web";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** The cutover's maintenance window as an iCalendar file ("Add to calendar"). */
export const GET = route(async (_req, ctx, { params }: Params) => {
  const { cutoverId, ics } = await cutoverCalendar({ ctx, input: { cutoverId: (await params).id, publicUrl: webEnv().publicUrl } });
  return icsResponse(ics, { cutoverId, download: true });
});
