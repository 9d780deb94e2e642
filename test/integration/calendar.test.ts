import { describe, expect, it } from "vitest";
import { calendarFeed, createCalendarFeed, cutoverCalendar } from "@/lib/calendar/cutover-calendar";
import { feedTokenOf, icsResponse } from "@/lib/calendar/ics-response";
import { systemActor, type Actor } from "@/lib/context";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { DomainError, httpStatusOf } from "@/lib/errors";
import { createUser } from "@/lib/user/create-user";
import { makeCutover } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();
const PUBLIC = "https://switchyard.example.com";

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "").split("\r\n");

async function user(role: "viewer" | "operator", email: string): Promise<Actor> {
  const u = await createUser({ ctx: t.ctx(), input: { email, name: role, role } });
  return { type: "user", id: u.id, email: u.email, role };
}

/** What the route answers for a verb's result or error: the .ics response, or the error's status. */
async function answer(run: () => Promise<{ cutoverId: string; ics: string }>, download: boolean): Promise<Response | number> {
  try {
    const { cutoverId, ics } = await run();
    return icsResponse(ics, { cutoverId, download });
  } catch (err) {
    if (err instanceof DomainError) return httpStatusOf(err.code);
    throw err;
  }
}

async function scheduled() {
  const { cutover, app } = await makeCutover(t.ctx());
  const updated = await updateCutover({
    ctx: t.ctx(),
    input: { cutoverId: cutover.id, version: 1, windowStartsAt: "2026-12-01T22:00:00Z", windowEndsAt: "2026-12-01T23:30:00Z", timeZone: "Europe/Berlin" },
  });
  return { cutover: updated, app };
}

describe("the cutover's calendar file", () => {
  it("answers a signed-in reader with text/calendar holding one VEVENT for the window", async () => {
    const { cutover, app } = await scheduled();
    const viewer = await user("viewer", "cal-viewer@example.com");
    const res = await answer(() => cutoverCalendar({ ctx: t.ctx(viewer), input: { cutoverId: cutover.id, publicUrl: PUBLIC } }), true);
    if (typeof res === "number") throw new Error(`answered ${res}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="switchyard-cutover-${cutover.id}.ics"`);
    const lines = unfold(await res.text());
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        `UID:cutover-${cutover.id}@switchyard`,
        "SEQUENCE:2",
        "DTSTART:20261201T220000Z",
        "DTEND:20261201T233000Z",
        `SUMMARY:Cutover: ${cutover.name} (${app.name})`,
        `URL;VALUE=URI:${PUBLIC}/cutovers/${cutover.id}`,
      ]),
    );
    const description = lines.find((l) => l.startsWith("DESCRIPTION:"))!;
    expect(description).toContain(`Plan version 2\\, hash ${cutover.planHash}`);
    expect(description).toContain("Europe/Berlin");

    // Nobody signed in: 401. An unknown cutover: 404.
    expect(await answer(() => cutoverCalendar({ ctx: t.ctx(systemActor("web")), input: { cutoverId: cutover.id, publicUrl: PUBLIC } }), true)).toBe(401);
    expect(await answer(() => cutoverCalendar({ ctx: t.ctx(viewer), input: { cutoverId: "00000000-0000-4000-8000-000000000000", publicUrl: PUBLIC } }), true)).toBe(404);
  });

  it("serves the same file at a feed URL created once by an operator; only its hash is kept; a wrong or replaced token is not found", async () => {
    const { cutover } = await scheduled();
    const viewer = await user("viewer", "feed-viewer@example.com");
    const operator = await user("operator", "feed-op@example.com");
    await expect(createCalendarFeed({ ctx: t.ctx(viewer), input: { cutoverId: cutover.id, publicUrl: PUBLIC } })).rejects.toMatchObject({ code: "forbidden" });

    const feed = await createCalendarFeed({ ctx: t.ctx(operator), input: { cutoverId: cutover.id, publicUrl: PUBLIC } });
    expect(feed.url).toBe(`${PUBLIC}/api/calendar/${feed.token}.ics`);
    expect(feed.token).toMatch(/^syc_[A-Za-z0-9_-]{40}$/);
    const row = await t.db.calendarFeed.findUniqueOrThrow({ where: { cutoverId: cutover.id } });
    expect(JSON.stringify(row)).not.toContain(feed.token);
    expect(row.prefix).toBe(feed.token.slice(0, 10));
    const audit = await t.db.auditEvent.findMany({ where: { action: "calendar_feed.create", entityId: cutover.id }, select: { actor: true, before: true, after: true, metadata: true } });
    expect(audit).toEqual([{ actor: "user:feed-op@example.com", before: null, after: { prefix: row.prefix }, metadata: null }]);
    expect(JSON.stringify(audit)).not.toContain(feed.token);

    // A calendar app: no session, only the URL's last segment.
    const anonymous = t.ctx(systemActor("web"));
    const segment = new URL(feed.url).pathname.split("/").at(-1)!;
    const token = feedTokenOf(segment)!;
    const res = await answer(() => calendarFeed({ ctx: anonymous, input: { token, publicUrl: PUBLIC } }), false);
    if (typeof res === "number") throw new Error(`answered ${res}`);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(unfold(await res.text())).toContain(`UID:cutover-${cutover.id}@switchyard`);

    expect(feedTokenOf(feed.token)).toBeNull(); // the path must end in .ics
    for (const wrong of [`${token.slice(0, -2)}xx`, "syc_", "sy_not-a-feed-token", `${token}a`]) {
      expect(await answer(() => calendarFeed({ ctx: anonymous, input: { token: wrong, publicUrl: PUBLIC } }), false), wrong).toBe(404);
    }

    // A new feed URL replaces the old one, which stops working; an edit shows in the feed as a new SEQUENCE.
    const replaced = await createCalendarFeed({ ctx: t.ctx(operator), input: { cutoverId: cutover.id, publicUrl: PUBLIC } });
    expect(await answer(() => calendarFeed({ ctx: anonymous, input: { token, publicUrl: PUBLIC } }), false)).toBe(404);
    await updateCutover({ ctx: t.ctx(operator), input: { cutoverId: cutover.id, version: cutover.version, windowEndsAt: "2026-12-02T00:00:00Z" } });
    const fresh = await calendarFeed({ ctx: anonymous, input: { token: replaced.token, publicUrl: PUBLIC } });
    expect(unfold(fresh.ics)).toEqual(expect.arrayContaining(["SEQUENCE:3", "DTEND:20261202T000000Z"]));
  });
});
