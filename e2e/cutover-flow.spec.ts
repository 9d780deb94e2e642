import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { emptyScratchTarget, rollBackAfterFailure, sandboxApp } from "./api-kit";
import { signIn } from "./support";

// The whole dashboard flow a team walks through, in the browser against the sandbox: plan with a
// bad target URL, fix it, test the connection, preflight, two approvers, start, watch the live log,
// scroll away and back, roll back, and find every action in the audit trail.
const APP = "switchyard-demo";
const ZONE = "Europe/Berlin";

function wallTime(at: Date, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

async function approve(browser: Browser, email: string, ip: string, cutoverUrl: string, screenshot?: string) {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": ip } });
  const page = await context.newPage();
  await signIn(page, email);
  await page.goto(cutoverUrl);
  await page.getByLabel("Comment").fill(`checked by ${email}`);
  await page.getByRole("button", { name: "Approve this version" }).click();
  await expect(page.getByText("You approved this version.")).toBeVisible();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await context.close();
}

/**
 * Records, in the page, how long after being written each log line appeared. Only lines written
 * once the viewer was live count: earlier ones come from history or the catch-up replay.
 */
async function recordArrivals(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { arrivals: Array<{ seq: number; lagMs: number }> };
    w.arrivals = [];
    const seen = new Set<number>();
    let liveSince = Number.POSITIVE_INFINITY;
    new MutationObserver(() => {
      const now = Date.now();
      if (liveSince === Number.POSITIVE_INFINITY && document.querySelector("[data-testid=live-state]")?.textContent === "Live") liveSince = now;
      for (const row of document.querySelectorAll<HTMLElement>("[data-testid=log-line]")) {
        const seq = Number(row.dataset.seq);
        const writtenAt = Date.parse(row.dataset.at ?? "");
        if (seen.has(seq)) continue;
        seen.add(seq);
        if (writtenAt > liveSince + 500) w.arrivals.push({ seq, lagMs: now - writtenAt });
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

const cleanup = rollBackAfterFailure("10.12.0.9");

test("plan, sign off, start, watch live, roll back, audit — all in the browser", async ({ page, browser }) => {
  test.setTimeout(600_000);
  const target = await emptyScratchTarget();
  const { routerUrl } = sandboxApp();
  await signIn(page, "operator@switchyard.local");

  await page.getByRole("link", { name: "New cutover" }).click();
  await expect(page.getByRole("heading", { name: "New cutover" })).toBeVisible();
  await page.getByLabel("Name").fill("Flow: move the demo app");
  const appOption = page.locator("option", { hasText: APP });
  await page.getByLabel("Heroku app").selectOption((await appOption.first().getAttribute("value"))!);
  await expect(page.getByTestId("source-facts")).toContainText("attached as DATABASE");
  await page.getByLabel("Target database URL", { exact: true }).fill("postgres://rds_user@db.example.com:5432/app");
  await page.getByRole("button", { name: "Add a smoke check" }).click();
  await page.getByTestId("smoke-row").getByLabel("URL").fill(`${routerUrl}/`);
  await page.getByTestId("smoke-row").getByLabel("Text that must appear").fill("Switchyard sample");
  await page.getByLabel("Time zone").selectOption(ZONE);
  await page.getByLabel("Starts").fill(wallTime(new Date(Date.now() - 10 * 60_000), ZONE));
  await page.getByLabel("Ends").fill(wallTime(new Date(Date.now() + 2 * 3600_000), ZONE));
  await expect(page.getByTestId("starts-offset")).toContainText(/UTC\+0[12]:00 \(CES?T\)/);
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.locator("[id$=targetDatabaseUrl-error]")).toContainText("Target database URL must include a password");
  await expect(page.getByLabel("Target database URL", { exact: true })).toBeFocused();

  await page.getByLabel("Target database URL", { exact: true }).fill(target);
  await page.getByRole("button", { name: "Test connection: Target database URL" }).click();
  await expect(page.getByTestId("connection-result")).toContainText(/Connected: PostgreSQL 15\.\d+, empty/);
  await page.screenshot({ path: "e2e/artifacts/flow-new-cutover.png", fullPage: true });
  await page.getByRole("button", { name: "Create plan" }).click();

  await expect(page.getByRole("heading", { name: "Flow: move the demo app" })).toBeVisible();
  const cutoverUrl = page.url();
  await expect(page.getByTestId("gate-reasons")).toContainText("0 of 2 required sign-offs");
  await expect(page.getByRole("button", { name: "Start live cutover" })).toBeDisabled();
  await page.getByRole("button", { name: "Run preflight" }).click();
  await expect(page.getByTestId("preflight-result")).toContainText("succeeded", { timeout: 120_000 });
  await expect(page.getByTestId("estimate")).toContainText("fits");
  await expect(page.getByRole("table", { name: "Smoke baseline" })).toContainText("ok · 200");
  await page.screenshot({ path: "e2e/artifacts/flow-plan-view.png", fullPage: true });

  await approve(browser, "approver@switchyard.local", "10.7.0.2", cutoverUrl, "e2e/artifacts/flow-sign-off.png");
  await approve(browser, "approver2@switchyard.local", "10.7.0.3", cutoverUrl);
  await page.reload();
  await expect(page.getByTestId("signoff-count")).toContainText("2 of 2");
  await page.getByRole("button", { name: "Start live cutover" }).click();
  await page.getByLabel(`Type the app name, ${APP}, to confirm`).fill(APP);
  await page.getByRole("button", { name: "Start now" }).click();

  await page.waitForURL(/\/runs\//);
  cleanup.started(page.url().split("/runs/")[1]!.split(/[?#]/)[0]!);
  await recordArrivals(page);
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  await expect(page.getByTestId("log-line").first()).toBeVisible();
  await expect(page.locator("[data-step=copy]")).toHaveAttribute("data-step-status", /running|succeeded/, { timeout: 120_000 });

  // Scroll away from the tail: following stops and "Jump to live" offers the way back.
  const box = page.getByTestId("log-box");
  await box.evaluate((el) => (el.scrollTop = 0));
  await expect(page.getByTestId("jump-to-live")).toBeVisible();
  await page.getByTestId("jump-to-live").click();
  await expect(page.getByTestId("jump-to-live")).toBeHidden();
  await page.screenshot({ path: "e2e/artifacts/flow-run-view.png", fullPage: true });

  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 300_000 });
  const lags = (await page.evaluate(() => (window as unknown as { arrivals: Array<{ lagMs: number }> }).arrivals.map((a) => a.lagMs))).sort((a, b) => a - b);
  // A fast copy may finish before the viewer is live; then run.spec.ts's held run measures this.
  // Pushed as written, not found by a reload or the 2-second poll alone; the latency target is
  // `npm run bench:logs`'s to measure (here it would measure two cores busy with a copy).
  console.log(`live lines: ${lags.length}; written → on screen: median ${lags[Math.floor(lags.length / 2)]} ms, p90 ${lags[Math.floor(lags.length * 0.9)]} ms, max ${lags.at(-1)} ms`);
  if (lags.length >= 5) expect(lags[Math.floor(lags.length / 2)], `half the live lines on screen within 2 s of being written (${lags.length} lines)`).toBeLessThan(2000);
  await expect(page.getByTestId("downtime-total")).toContainText("Customers saw the maintenance page for");

  await page.getByRole("button", { name: "Roll back" }).click();
  await expect(page.getByTestId("rollback-actions")).toContainText("Promote the source database back to DATABASE");
  await expect(page.getByTestId("rows-changed")).toContainText(/\d+ row\(s\) changed on the target/);
  await page.screenshot({ path: "e2e/artifacts/flow-rollback-dialog.png", fullPage: true });
  await page.getByRole("button", { name: "Roll back now" }).click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "rolled_back", { timeout: 300_000 });
  await expect(page.locator("[data-step=rollback_smoke]")).toHaveAttribute("data-step-status", "succeeded");
  await expect(page.getByRole("table", { name: "Smoke comparison" })).toBeVisible();

  await page.goto("/audit");
  await page.getByLabel("Cutover").selectOption({ label: "Flow: move the demo app" });
  const trail = page.getByRole("table", { name: "Audit events" });
  // One action at a time, so a busy trail's paging cannot hide one.
  for (const action of ["cutover.create", "signoff.approve", "run.create", "run.rollback_request", "run.transition", "step.transition"]) {
    await page.getByLabel("Action").selectOption(action);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(trail.getByText(action, { exact: true }).first()).toBeVisible();
  }
  await page.getByLabel("Action").selectOption("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("chain-status")).toContainText("Chain verified");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  expect(csv.split("\n")[0]).toBe("id,createdAt,actor,actorId,action,entityType,entityId,before,after,metadata,prevHash,hash");
  expect(csv).toContain("signoff.approve");
  await page.screenshot({ path: "e2e/artifacts/flow-audit-trail.png", fullPage: true });
  await emptyScratchTarget();
});
