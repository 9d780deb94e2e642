import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "@/lib/pg/connect";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { draftCutover, rollBackAfterFailure, rollBackIfLeftSwitched, sandboxApp, signedInApi, signOffAll, startLiveRun } from "./api-kit";
import { signIn } from "./support";

// A runbook built in the plan form: an SQL migration and a migration command (both run twice) after
// the switch, a manual task and an approval inside maintenance, a webhook to a real local receiver, moves that would break the core refused with the reason, the exact SQL on the
// plan view for approvers; then a live run that migrates the target as the app's role, pauses at
// the manual task until the operator marks it done and at the approval until an approver approves,
// and is rolled back.
const NAME = `Runbook spec: migrate after the switch ${Date.now()}`;
const MIGRATE_COMMAND = `psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE TABLE IF NOT EXISTS runbook_migrations (version text PRIMARY KEY); INSERT INTO runbook_migrations VALUES ('20261207') ON CONFLICT DO NOTHING"`;
const MIGRATION = "CREATE TABLE IF NOT EXISTS runbook_flags (name text PRIMARY KEY);\nINSERT INTO runbook_flags VALUES ('new_checkout') ON CONFLICT DO NOTHING;";

async function waitForRun(api: APIRequestContext, runId: string, statuses: string[]) {
  for (let i = 0; i < 300; i++) {
    const run = await (await api.get(`/api/runs/${runId}`)).json();
    if (statuses.includes(run.status)) return run as { status: string; error: string | null };
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`run ${runId} did not reach ${statuses.join("/")}`);
}

/** A real webhook receiver on this machine: every JSON body it is sent, in arrival order. */
async function startReceiver(): Promise<{ url: string; events: () => string[]; server: Server }> {
  const bodies: Array<{ event: string }> = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      bodies.push(JSON.parse(text));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cutover`, events: () => bodies.map((b) => b.event), server };
}

const cleanup = rollBackAfterFailure("10.14.0.9");

test("build a runbook with SQL and a command run twice, a manual task, an approval and a webhook; sign it off, run it live, roll back", async ({ page, playwright, browser }) => {
  test.setTimeout(600_000);
  const operator = await signedInApi(playwright.request, "operator", "10.14.0.1");
  const cutoverId = await draftCutover(operator, NAME, 2);
  const receiver = await startReceiver();
  await signIn(page, "operator@switchyard.local");
  await page.goto(`/cutovers/${cutoverId}/edit`);
  const runbook = page.getByRole("list", { name: "Runbook steps" });
  await expect(runbook.getByTestId("runbook-step")).toHaveCount(11);

  // The core's order is kept, and the form says why.
  await page.getByRole("button", { name: "Move copy up" }).click();
  await expect(page.getByTestId("step-refusal")).toHaveText("Cannot move copy up: copy must come after write_freeze: a write made during the copy would be left behind on the source");
  await expect(page.getByRole("button", { name: "Move copy up" })).toBeFocused();

  await page.getByLabel("Step kind to add").selectOption({ label: "SQL on the target" });
  await page.getByRole("button", { name: "Add step" }).click();
  const sqlStep = runbook.locator("[data-step=sql]");
  await expect(sqlStep).toBeVisible();
  await expect(runbook.getByTestId("runbook-step").nth(7)).toHaveAttribute("data-step", "sql");
  await page.getByRole("button", { name: "Move sql up" }).click();
  await expect(page.getByTestId("step-refusal")).toContainText("Cannot move sql up: sql must come after verify");
  await page.getByRole("button", { name: "Move sql down" }).click();
  await expect(runbook.getByTestId("runbook-step").nth(8)).toHaveAttribute("data-step", "sql");
  await expect(page.getByTestId("step-refusal")).toHaveText("");

  // Saving without the SQL is refused at the field.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(sqlStep.getByText(/SQL is required/)).toBeVisible();
  await sqlStep.getByLabel("SQL", { exact: true }).fill(MIGRATION);
  await sqlStep.getByLabel("Run twice and prove idempotent").check();
  await sqlStep.getByLabel("key").fill("migrate_flags");

  // The app's own migration command on a one-off dyno, with the app's config after the switch.
  await page.getByLabel("Step kind to add").selectOption({ label: "Command on a one-off dyno" });
  await page.getByRole("button", { name: "Add step" }).click();
  await expect(runbook.getByTestId("runbook-step").nth(9)).toHaveAttribute("data-step", "command");
  const command = runbook.locator("[data-step=command]");
  await command.getByLabel("Command", { exact: true }).fill(MIGRATE_COMMAND);
  await command.getByLabel("Run twice and prove idempotent").check();

  // A manual task inside maintenance, and an approval by someone else before maintenance goes off.
  await page.getByLabel("Step kind to add").selectOption({ label: "Manual task" });
  await page.getByRole("button", { name: "Add step" }).click();
  const manual = runbook.locator("[data-step=manual]");
  await expect(manual.getByLabel("key")).toBeFocused();
  await manual.getByLabel("key").fill("cdn");
  const cdn = runbook.locator("[data-step=cdn]");
  await cdn.getByLabel("Task").fill("Point the CDN at the new origin");
  await cdn.getByLabel("Instructions").fill("1. Run `aws cloudfront update-distribution --id E2E`\n2. **Check** the site loads");
  for (let i = 0; i < 20 && (await runbook.getByTestId("runbook-step").nth(10).getAttribute("data-step")) !== "cdn"; i++) await page.getByRole("button", { name: "Move cdn down" }).click();
  await expect(runbook.getByTestId("runbook-step").nth(10)).toHaveAttribute("data-step", "cdn");
  await page.getByLabel("Step kind to add").selectOption({ label: "Approval inside the run" });
  await page.getByRole("button", { name: "Add step" }).click();
  await runbook.locator("[data-step=approval]").getByLabel("Question").fill("Smoke results fine? May maintenance go off?");
  const approvalAt = async () => (await runbook.getByTestId("runbook-step").evaluateAll((els) => els.map((el) => el.getAttribute("data-step")))).indexOf("approval");
  while ((await approvalAt()) < 12) await page.getByRole("button", { name: "Move approval down" }).click();

  // A webhook told of every event, as a stakeholders' channel would be.
  await page.getByRole("button", { name: "Add a notification channel" }).click();
  const channel = page.getByTestId("notify-row");
  await channel.getByLabel("Name").fill("ops receiver");
  await channel.getByLabel("Format").selectOption({ label: "Generic JSON" });
  await channel.getByLabel("Webhook URL").fill(receiver.url);
  await page.getByRole("button", { name: "Save changes" }).click();

  // The plan view shows the runbook as approvers will sign it: the SQL whole, after the switch.
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  const planSteps = page.getByTestId("plan-step");
  await expect(planSteps).toHaveCount(15);
  await expect(planSteps.nth(9).getByTestId("step-params")).toContainText(MIGRATE_COMMAND);
  await expect(planSteps.nth(8)).toHaveAttribute("data-step", "migrate_flags");
  await expect(planSteps.nth(8).getByTestId("step-params")).toContainText("INSERT INTO runbook_flags VALUES ('new_checkout') ON CONFLICT DO NOTHING;");
  await expect(planSteps.nth(8)).toContainText("then again, proving the second run changes no schema object and no row count");

  await signOffAll(operator, [await signedInApi(playwright.request, "approver", "10.14.0.2"), await signedInApi(playwright.request, "approver2", "10.14.0.3")], cutoverId, "runbook checked");
  const runId = await startLiveRun(operator, cutoverId);
  cleanup.started(runId);
  await page.goto(`/runs/${runId}`);

  // The run pauses at the manual task; everyone watching sees its instructions.
  const waiting = page.getByTestId("waiting-panel");
  await expect(waiting).toHaveAttribute("data-step", "cdn", { timeout: 240_000 });
  await expect(waiting.getByTestId("waiting-instructions").locator("code")).toHaveText("aws cloudfront update-distribution --id E2E");
  await expect(page.locator("[data-testid=step-row][data-step=cdn]")).toHaveAttribute("data-step-status", "running");
  await waiting.getByRole("button", { name: "Skip" }).click();
  await expect(waiting.getByText("Say why you skip.")).toBeVisible();
  await waiting.getByRole("button", { name: "Mark done" }).click();

  // The approval waits for someone other than the operator.
  await expect(waiting).toHaveAttribute("data-step", "approval", { timeout: 120_000 });
  await expect(waiting).toContainText("Only a person with the approver role can decide this step (you are operator).");
  const approverPage = await (await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "10.14.0.4" } })).newPage();
  await signIn(approverPage, "approver@switchyard.local");
  await approverPage.goto(`/runs/${runId}`);
  await approverPage.getByTestId("waiting-panel").getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("waiting-panel")).toHaveCount(0, { timeout: 120_000 });
  await approverPage.context().close();

  const done = await waitForRun(operator, runId, ["succeeded", "needs_attention", "failed"]);
  expect(done.status, done.error ?? "").toBe("succeeded");
  await expect(page.locator("[data-testid=step-row][data-step=migrate_flags]")).toHaveAttribute("data-step-status", "succeeded");
  await expect(page.locator("[data-testid=step-row][data-step=command]")).toHaveAttribute("data-step-status", "succeeded");

  const target = await connect(sandboxApp().rehearsalTargetDatabaseUrl);
  try {
    expect((await target.query("SELECT name FROM runbook_flags")).rows).toEqual([{ name: "new_checkout" }]);
    expect((await target.query("SELECT version FROM runbook_migrations")).rows).toEqual([{ version: "20261207" }]);
  } finally {
    await target.end();
  }
  await rollBackIfLeftSwitched(operator, runId);
  expect((await waitForRun(operator, runId, ["rolled_back", "rollback_failed"])).status).toBe("rolled_back");

  // The receiver heard the cutover and its rollback, in order (the window and sign-off events come first).
  const RUN_EVENTS = ["run_started", "maintenance_enabled", "maintenance_disabled", "finished", "rollback_started", "maintenance_enabled", "maintenance_disabled", "finished"];
  await expect.poll(() => receiver.events().filter((e) => RUN_EVENTS.includes(e)), { timeout: 60_000 }).toEqual(RUN_EVENTS);
  expect(receiver.events().indexOf("signoff_needed")).toBeLessThan(receiver.events().indexOf("run_started"));
  expect(receiver.events()).not.toContain("step_failed");
  receiver.server.close();
});
