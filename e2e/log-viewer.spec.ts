import { readFileSync } from "node:fs";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { BASE, DEMO_PASSWORD, E2E_HOME, E2E_OFFSET, signIn } from "./support";

// A run with a million log lines: the viewer loads pages, never the whole log, keeps the DOM
// small, finds a line near the start by search, and the download holds every line.
const LINES = 1_000_000;

async function runWithMillionLines(): Promise<string> {
  const password = readFileSync(`${E2E_HOME}/embedded-db-password`, "utf8").trim();
  const db = new pg.Client({ connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${26449 + E2E_OFFSET}/switchyard` });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(`
      INSERT INTO cutover_runs (cutover_id, kind, status, plan_hash, plan_snapshot, started_at, finished_at, last_log_seq)
      SELECT id, 'preflight', 'succeeded', plan_hash, '{"steps": []}', now(), now(), ${LINES} FROM cutovers ORDER BY created_at LIMIT 1
      RETURNING id`);
    const runId = rows[0]!.id;
    await db.query(
      `INSERT INTO log_lines (run_id, seq, stream, text)
       SELECT $1, g, (CASE WHEN g % 50 = 0 THEN 'stderr' ELSE 'stdout' END)::"LogStream",
              CASE WHEN g = 42 THEN 'needle: the forty-second line' ELSE 'copying table part ' || g END
         FROM generate_series(1, ${LINES}) g`,
      [runId],
    );
    return runId;
  } finally {
    await db.end();
  }
}

test("a million-line log stays small in the page, pages in history, searches and downloads everything", async ({ page, playwright }) => {
  test.setTimeout(300_000);
  const runId = await runWithMillionLines();
  const logRequests: string[] = [];
  page.on("request", (r) => r.url().includes(`/api/runs/${runId}/logs`) && logRequests.push(r.url()));
  await signIn(page, "viewer@switchyard.local");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("log-range")).toHaveText(`lines 999501–1000000 of ${LINES}`);
  // One page, the newest (React's development mode may ask twice for it).
  expect(new Set(logRequests)).toEqual(new Set([`${BASE}/api/runs/${runId}/logs?limit=500`]));
  expect(await page.getByTestId("log-line").count()).toBeLessThan(300);
  await expect(page.locator('[data-testid=log-line][data-seq="1000000"]')).toBeVisible();

  // Scrolling to the top pulls older pages in, one at a time.
  const box = page.getByTestId("log-box");
  for (let i = 0; i < 3; i++) {
    await box.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => logRequests.length).toBeGreaterThan(i + 1);
  }
  await expect(page.getByTestId("log-range")).toContainText("lines 99");
  expect(await page.getByTestId("log-line").count()).toBeLessThan(300);
  await expect(page.getByTestId("jump-to-live")).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/log-viewer.png", fullPage: true });

  await page.getByLabel("Search the log").fill("NEEDLE");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByTestId("search-results").getByRole("button", { name: /42 needle/ }).click();
  await expect(page.locator('[data-testid=log-line][data-seq="42"]')).toBeVisible();
  await page.getByTestId("jump-to-live").click();
  await expect(page.locator('[data-testid=log-line][data-seq="1000000"]')).toBeVisible();

  const api = await playwright.request.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": "10.6.0.9", origin: BASE } });
  expect((await api.post("/api/auth/sign-in/email", { data: { email: "viewer@switchyard.local", password: DEMO_PASSWORD } })).status()).toBe(200);
  const res = await api.get(`/api/runs/${runId}/logs/download`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toContain("attachment");
  const text = await res.text();
  expect(text.split("\n").filter(Boolean)).toHaveLength(LINES);
  expect(text).toContain("42\t");
});
