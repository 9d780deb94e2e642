// Range / Next-Range pagination as the CLI uses it: follow Next-Range verbatim until absent,
// 206 while more pages exist, 200 on the last; releases newest-first with order=desc.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiAnswer, type Harness, MYAPP, startHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seed: [MYAPP] });
  for (let i = 1; i <= 6; i++) await h.api("PATCH", "/apps/myapp/config-vars", { body: { [`V${i}`]: String(i) } });
});
afterAll(async () => { await h.close(); });

/** Follows Next-Range like the CLI's client does; returns every page's answer. */
async function allPages(path: string, range: string): Promise<ApiAnswer[]> {
  const pages: ApiAnswer[] = [];
  let next: string | null = range;
  while (next !== null) {
    const page = await h.api("GET", path, { headers: { Range: next } });
    pages.push(page);
    next = page.headers.get("next-range");
    if (pages.length > 20) throw new Error("pagination does not end");
  }
  return pages;
}

describe("releases", () => {
  it("returns the newest release for 'version ..; max=1, order=desc' with 206 and Next-Range", async () => {
    const res = await h.api("GET", "/apps/myapp/releases", { headers: { Range: "version ..; max=1, order=desc" } });
    expect(res.status).toBe(206);
    expect(res.body.map((r: { version: number }) => r.version)).toEqual([7]);
    expect(res.headers.get("next-range")).toBe("version ]7..; max=1, order=desc");
  });

  it("accepts the config:set spelling 'version ..; order=desc,max=1'", async () => {
    const res = await h.api("GET", "/apps/myapp/releases", { headers: { Range: "version ..; order=desc,max=1" } });
    expect(res.body[0].description).toBe("Set V6 config vars");
  });

  it("walks every page newest-first, ending with a 200 without Next-Range", async () => {
    const pages = await allPages("/apps/myapp/releases", "version ..; max=3, order=desc");
    expect(pages.map((p) => p.status)).toEqual([206, 206, 200]);
    expect(pages.at(-1)?.headers.get("next-range")).toBeNull();
    expect(pages.flatMap((p) => p.body.map((r: { version: number }) => r.version))).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it("walks ascending pages and answers 200 when one page holds everything", async () => {
    const pages = await allPages("/apps/myapp/releases", "version ..; max=4");
    expect(pages.flatMap((p) => p.body.map((r: { version: number }) => r.version))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const whole = await h.api("GET", "/apps/myapp/releases", { headers: { Range: "version ..; max=7" } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("next-range")).toBeNull();
  });

  it("answers the last 5 releases for pg:promote's 'version ..; max=5, order=desc'", async () => {
    const res = await h.api("GET", "/apps/myapp/releases", { headers: { Range: "version ..; max=5, order=desc" } });
    expect(res.body.map((r: { version: number }) => r.version)).toEqual([7, 6, 5, 4, 3]);
  });
});

describe("id ranges on other lists", () => {
  it("pages attachments one at a time with 'id ..; max=1'", async () => {
    const pages = await allPages("/addon-attachments", "id ..; max=1");
    expect(pages.map((p) => p.status)).toEqual([206, 206, 200]);
    expect(pages[1].headers.get("next-range")).toMatch(/^id \][0-9a-f-]{36}\.\.; max=1$/);
    const ids = pages.flatMap((p) => p.body.map((a: { id: string }) => a.id));
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort()).toEqual(ids);
  });

  it("pages app add-ons the same way", async () => {
    const pages = await allPages("/apps/myapp/addons", "id ..; max=1");
    expect(pages.map((p) => p.status)).toEqual([206, 200]);
  });

  it("answers 200 without Next-Range and with Accept-Ranges when no Range is sent", async () => {
    const res = await h.api("GET", "/apps/myapp/addon-attachments");
    expect(res.status).toBe(200);
    expect(res.headers.get("next-range")).toBeNull();
    expect(res.headers.get("accept-ranges")).toBe("id, name");
  });

  it("rejects malformed ranges with 400 bad_request", async () => {
    for (const range of ["bogus ..; max=1", "id ..; max=0", "id ..; max=abc", "id ..; order=sideways", "version 1; max=1", "version ]abc..; max=1"]) {
      const res = await h.api("GET", "/apps/myapp/releases", { headers: { Range: range } });
      expect(res.status, range).toBe(400);
      expect(res.body.id).toBe("bad_request");
    }
  });
});
