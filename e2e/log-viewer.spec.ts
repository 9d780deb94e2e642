import { readFileSync } from "node:fs";
import { connect } from "@/lib/pg/connect";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { BASE, DEMO_PASSWORD, E2E_HOME, E2E_OFFSET, signIn } from "./support";

// A run with a million log lines: the viewer loads pages, never the whole log, keeps the DOM
// small, finds a line near the start by search, and the download holds every line.
const LINES = 1_000_000;
const PAGE = 500;

async function signedIn(playwright: typeof import("@playwright/test").request, email: string, ip: string): Promise<APIRequestContext> {
  const api = await playwright.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": ip, origin: BASE } });
  const res = await api.post("/api/auth/sign-in/email", { data: { email, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return api;
}

/** A cutover of our own (other specs use the seeded one), created over the HTTP API. */
async function createCutover(api: APIRequestContext): Promise<string> {
  const { apps } = await (await api.get("/api/heroku-apps")).json();
  const res = await api.post("/api/cutovers", { data: { name: `Log viewer spec ${Date.now()}`, herokuAppId: apps[0].id } });
  expect(res.status(), await res.text()).toBe(201);
  // The contract says { cutover: { id } }; the handler answers { id, … } today: accept both.
  const body = await res.json();
  return body.cutover?.id ?? body.id;
}

/** A finished run with a million lines, written straight into Switchyard's database. */
async function runWithMillionLines(cutoverId: string): Promise<string> {
  const password = readFileSync(`${E2E_HOME}/embedded-db-password`, "utf8").trim();
  const db = await connect(`postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${26449 + E2E_OFFSET}/switchyard`);
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO cutover_runs (cutover_id, kind, status, plan_hash, plan_snapshot, started_at, finished_at, last_log_seq)
       SELECT id, 'preflight', 'succeeded', plan_hash, '{"steps": []}', now(), now(), $2 FROM cutovers WHERE id = $1
       RETURNING id`,
      [cutoverId, LINES],
    );
    const runId = rows[0]!.id;
    await db.query(
      `INSERT INTO log_lines (run_id, seq, stream, text)
       SELECT $1, g, (CASE WHEN g % 50 = 0 THEN 'stderr' WHEN g % 97 = 0 THEN 'system' ELSE 'stdout' END)::"LogStream",
              CASE WHEN g = 42 THEN 'needle: the forty-second line' ELSE 'copying table part ' || g END
         FROM generate_series(1, $2::int) g`,
      [runId, LINES],
    );
    return runId;
  } finally {
    await db.end();
  }
}

test("a million-line log stays small in the page, pages in history, searches and downloads everything", async ({ page, playwright }) => {
  test.setTimeout(300_000);
  const api = await signedIn(playwright.request, "operator@switchyard.local", "10.6.0.9");
  const runId = await runWithMillionLines(await createCutover(api));
  const logRequests: string[] = [];
  page.on("request", (r) => r.url().includes(`/api/runs/${runId}/logs`) && logRequests.push(r.url()));
  await signIn(page, "viewer@switchyard.local");
  await page.goto(`/runs/${runId}`);
  const range = page.getByTestId("log-range");
  await expect(range).toHaveText(`lines ${LINES - PAGE + 1}–${LINES} of ${LINES}`);
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  // One page, the newest (React's development mode may ask twice for it).
  expect(new Set(logRequests)).toEqual(new Set([`${BASE}/api/runs/${runId}/logs?limit=${PAGE}`]));
  expect(await page.getByTestId("log-line").count()).toBeLessThan(300);
  await expect(page.locator(`[data-testid=log-line][data-seq="${LINES}"]`)).toBeVisible();
  await expect(page.locator('[data-testid=log-line][data-seq="999950"]')).toHaveAttribute("data-stream", "stderr");

  // Scrolling to the top pulls older pages in, one per trip: by the Home key, then by the wheel's position.
  const box = page.getByTestId("log-box");
  await box.focus();
  for (let i = 1; i <= 4; i++) {
    if (i % 2) await page.keyboard.press("Home");
    else await box.evaluate((el) => (el.scrollTop = 0));
    await expect(range).toHaveText(`lines ${LINES - PAGE * (i + 1) + 1}–${LINES} of ${LINES}`);
    expect(await page.getByTestId("log-line").count()).toBeLessThan(300);
  }
  const older = logRequests.filter((u) => u.includes("beforeSeq="));
  expect(new Set(older).size).toBe(4);
  expect(logRequests.every((u) => /limit=500(&|$)/.test(u)), "history comes in pages of 500").toBe(true);
  await expect(page.getByTestId("jump-to-live")).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/log-viewer.png", fullPage: true });

  // Search runs on the server over the whole log; picking the hit shows it, far from the tail.
  await page.getByLabel("Search the log").fill("NEEDLE");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("search-results")).toContainText("1 line(s) contain");
  await page.getByTestId("search-results").getByRole("button", { name: /42 needle/ }).click();
  await expect(page.locator('[data-testid=log-line][data-seq="42"]')).toBeVisible();
  await expect(range).toHaveText(`lines 1–${PAGE} of ${LINES}`);
  // Scrolling down from there reads forward, page by page.
  await box.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(range).toHaveText(`lines 1–${PAGE * 2} of ${LINES}`);
  expect(await page.getByTestId("log-line").count()).toBeLessThan(300);

  await page.getByTestId("jump-to-live").click();
  await expect(page.locator(`[data-testid=log-line][data-seq="${LINES}"]`)).toBeVisible();
  await expect(page.getByTestId("jump-to-live")).toBeHidden();
  expect(logRequests.length).toBeLessThan(20);

  const res = await api.get(`/api/runs/${runId}/logs/download`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toContain("attachment");
  const lines = (await res.text()).split("\n").filter(Boolean);
  expect(lines).toHaveLength(LINES);
  expect(lines[41]).toMatch(/^42\t\d{4}-\d\d-\d\dT[^\t]+\tstdout\tneedle: the forty-second line$/);
  expect(lines.at(-1)).toMatch(new RegExp(`^${LINES}\\t`));
});
