import { readFileSync } from "node:fs";
import { emptyDatabase } from "./api-kit";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { BASE, E2E_HOME, signIn } from "./support";

// The plan pages in the browser: a new plan with field errors from the browser and from the
// server, the connection test, the window in the browser's own zone, preflight, two sign-offs,
// the gate opening, and an edit that visibly invalidates the sign-offs. No live run is started.
const APP = "switchyard-demo";
const NAME = "Plan spec: move the demo app";
// The operator's browser runs in New York so "default to the browser's zone" is really tested.
const OPERATOR_ZONE = "America/New_York";

function sandboxApp() {
  return JSON.parse(readFileSync(`${E2E_HOME}/sandbox.json`, "utf8")).apps[0] as { routerUrl: string; targetDatabaseUrl: string };
}

/**
 * The sandbox target, empty. Run alone it already is; after leak-scan.spec.ts (a live cutover
 * that was rolled back) it still holds the copy, which preflight rightly refuses. rds_user owns it.
 */
const emptyTarget = emptyDatabase;

function wallTime(at: Date, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A signed-in browser context of its own (sign-in is rate limited per address, so each gets one). */
async function personAt(browser: Browser, email: string, ip: string, timezoneId?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": ip }, timezoneId });
  await signIn(await context.newPage(), email);
  return context;
}

async function approve(browser: Browser, email: string, ip: string, cutoverUrl: string, screenshot?: string) {
  const context = await personAt(browser, email, ip);
  const page = context.pages()[0]!;
  await page.goto(cutoverUrl);
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit plan" })).toHaveCount(0);
  // Rejecting without a comment is refused in the page, with the keyboard put on the comment.
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText("Say why you reject the plan")).toBeVisible();
  await expect(page.getByLabel("Comment")).toBeFocused();
  await page.getByLabel("Comment").fill(`checked by ${email}`);
  await page.getByRole("button", { name: "Approve this version" }).click();
  await expect(page.getByText("You approved this version.")).toBeVisible();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await context.close();
}

test("plan a cutover, preflight it, sign it off, and see an edit invalidate the sign-offs", async ({ browser }) => {
  test.setTimeout(300_000);
  const { routerUrl, targetDatabaseUrl } = sandboxApp();
  await emptyTarget(targetDatabaseUrl);
  const operator = await personAt(browser, "operator@switchyard.local", "10.4.0.1", OPERATOR_ZONE);
  const page = operator.pages()[0]!;

  // New plan: the app's source is discovered from Heroku for confirmation.
  await page.getByRole("link", { name: "New cutover" }).click();
  await expect(page.getByRole("heading", { name: "New cutover" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(NAME);
  const appOption = page.locator("option", { hasText: APP });
  await page.getByLabel("Heroku app").selectOption((await appOption.first().getAttribute("value"))!);
  await expect(page.getByTestId("source-facts")).toContainText("attached as DATABASE");

  // A URL without a password: the parts list shows it while typing, the save is refused in the page.
  const targetField = page.getByLabel("Target database URL", { exact: true });
  await expect(targetField).toHaveAttribute("type", "password");
  await targetField.fill("postgres://rds_user@127.0.0.1:5432/app");
  const parts = page.getByRole("list", { name: "Target database URL: parts" });
  await expect(parts.getByRole("listitem").filter({ hasText: "password" })).toContainText("missing");
  await expect(parts.getByRole("listitem").filter({ hasText: "host" })).toContainText("present");
  await expect(page.getByRole("button", { name: "Test connection: Target database URL" })).toBeDisabled();

  // One smoke check whose URL only the server refuses; a latency budget to edit later.
  await page.getByRole("button", { name: "Add a smoke check" }).click();
  const smoke = page.getByRole("group", { name: "Smoke check 1" });
  await expect(smoke.getByLabel("URL")).toBeFocused();
  await smoke.getByLabel("URL").fill("ftp://example.com/");
  await smoke.getByLabel("Text that must appear").fill("Switchyard sample");
  await smoke.getByLabel("Latency budget (ms)").fill("2500");

  // The window: open now, in the browser's zone (the default), each end with its offset.
  await expect(page.getByLabel("Time zone")).toHaveValue(OPERATOR_ZONE);
  const now = Date.now();
  await page.getByLabel("Starts").fill(wallTime(new Date(now - 5 * 60_000), OPERATOR_ZONE));
  await page.getByLabel("Ends").fill(wallTime(new Date(now + 2 * 3600_000), OPERATOR_ZONE));
  await expect(page.getByTestId("starts-offset")).toContainText(/UTC-0[45]:00 \(E[SD]T\)/);
  await expect(page.getByTestId("window-length")).toContainText("The window lasts 2 h 0");
  await page.getByLabel("Required sign-offs").fill("2");

  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByText("Target database URL must include a password")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "The plan was not saved" })).toContainText("one field needs fixing");
  await expect(targetField).toBeFocused();

  // Fixed: the connection test reports the server and that the database is empty.
  await targetField.fill(targetDatabaseUrl);
  await expect(page.getByText("Target database URL must include a password")).toHaveCount(0);
  await page.getByRole("button", { name: "Test connection: Target database URL" }).click();
  await expect(page.getByTestId("connection-result")).toContainText(/Connected: PostgreSQL 15\.\d+, empty/);

  // Now the server refuses the smoke URL: the message lands beside it and the keyboard goes there.
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(smoke.getByText("URL must start with http:// or https://")).toBeVisible();
  await expect(smoke.getByLabel("URL")).toBeFocused();
  await expect(page.getByRole("alert").filter({ hasText: "The plan was not saved" })).toContainText("Smoke check 1, URL: must start with http:// or https://");
  await smoke.getByLabel("URL").fill(`${routerUrl}/`);
  await page.screenshot({ path: "e2e/artifacts/new-cutover.png", fullPage: true });
  // Enter in a field submits the form.
  await smoke.getByLabel("URL").press("Enter");

  // The plan view: steps, a masked target, an open window, and a gate that says why not yet.
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible({ timeout: 60_000 });
  const cutoverUrl = page.url();
  expect(cutoverUrl).toMatch(/\/cutovers\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("plan-version")).toHaveText("plan version 1");
  const steps = page.getByRole("table", { name: "Plan steps" });
  await expect(steps.getByTestId("plan-step")).toHaveCount(11);
  await expect(steps.locator("[data-step=switch]")).toContainText("Promote the source database back to DATABASE");
  await expect(page.getByTestId("target-masked")).toContainText("****");
  expect(await page.content()).not.toContain(new URL(targetDatabaseUrl).password);
  await expect(page.getByTestId("window-phase")).toContainText("open now");
  await expect(page.getByTestId("gate-reasons")).toContainText("0 of 2 required sign-offs");
  await expect(page.getByRole("button", { name: "Start live cutover" })).toBeDisabled();

  // Preflight: the page follows the run until its result is in.
  await page.getByRole("button", { name: "Run preflight" }).click();
  await expect(page.getByTestId("preflight-result")).toContainText("succeeded", { timeout: 180_000 });
  await expect(page.getByTestId("preflight-result")).toContainText("No problems found.");
  await expect(page.getByTestId("estimate")).toContainText("fits");
  await expect(page.getByRole("table", { name: "Smoke baseline" })).toContainText("ok · 200");
  await expect(page.getByRole("table", { name: "Runs" }).getByRole("link", { name: "preflight run" })).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/plan-view.png", fullPage: true });

  await approve(browser, "approver@switchyard.local", "10.4.0.2", cutoverUrl);
  await approve(browser, "approver2@switchyard.local", "10.4.0.3", cutoverUrl, "e2e/artifacts/sign-off.png");

  // The gate holds for the operator: Start is enabled and asks for the app's name (not started here).
  await page.reload();
  await expect(page.getByTestId("signoff-count")).toContainText("2 of 2 sign-offs");
  await expect(page.getByTestId("gate-reasons")).toHaveCount(0);
  const start = page.getByRole("button", { name: "Start live cutover" });
  await expect(start).toBeEnabled();
  await start.click();
  const confirm = page.getByRole("dialog", { name: "Start the live cutover?" });
  await confirm.getByLabel(`Type the app name, ${APP}, to confirm`).fill("switchyard-dem");
  await expect(confirm.getByRole("button", { name: "Start now" })).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(confirm).toHaveCount(0);

  // Edit: a changed latency budget is a new plan hash, so both sign-offs stop counting.
  await page.getByRole("link", { name: "Edit plan" }).click();
  // `next dev` compiles a route on its first visit: allow for a slow machine.
  await expect(page.getByRole("heading", { name: `Edit plan: ${NAME}` })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("targetDatabaseUrl-stored")).toContainText("****");
  const editedSmoke = page.getByRole("group", { name: "Smoke check 1" });
  await expect(editedSmoke.getByLabel("Latency budget (ms)")).toHaveValue("2500");
  await editedSmoke.getByLabel("Latency budget (ms)").fill("3000");
  await expect(page.getByText("its 2 current sign-off(s) will no longer count")).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/edit-plan.png", fullPage: true });
  await page.getByRole("button", { name: "Save changes" }).click();
  const invalidate = page.getByRole("dialog", { name: "Save and invalidate sign-offs?" });
  await expect(invalidate).toBeVisible();
  await invalidate.getByRole("button", { name: "Save and ask again" }).click();

  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(page.getByTestId("plan-version")).toHaveText("plan version 2");
  await expect(page.getByTestId("signoff-count")).toContainText("0 of 2 sign-offs");
  await expect(page.getByTestId("signoff-stale")).toHaveCount(2);
  await expect(page.getByTestId("signoff-stale").first()).toContainText("for an earlier version — no longer counts");
  await expect(page.getByTestId("gate-reasons")).toContainText("0 of 2 required sign-offs");
  await expect(page.getByRole("button", { name: "Start live cutover" })).toBeDisabled();
  await expect(page.getByRole("table", { name: "Smoke baseline" })).toContainText("≤ 3000 ms");

  // Two editors: the one who saves second is told the plan moved on, and offered a reload.
  await page.getByRole("link", { name: "Edit plan" }).click();
  await expect(page.getByRole("heading", { name: `Edit plan: ${NAME}` })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel("Name", { exact: true }).fill(`${NAME} (renamed)`);
  const cutoverApi = new URL(cutoverUrl).pathname.replace("/cutovers/", "/api/cutovers/");
  const other = await page.request.patch(cutoverApi, { data: { version: 2, requiredApprovals: 1 }, headers: { origin: BASE } });
  expect(other.status(), await other.text()).toBe(200);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Someone changed or started this plan" })).toContainText("now version 3");
  await page.getByRole("button", { name: "Reload the plan" }).click();
  await expect(page.getByText("Version 3 (")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(NAME);
  await operator.close();
});
