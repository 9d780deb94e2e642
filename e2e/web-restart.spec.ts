import { readFileSync } from "node:fs";
import pg from "pg";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { BASE, DEMO_PASSWORD, E2E_HOME, signIn } from "./support";

// The web process dies (SIGKILL) in the middle of a live run: the run goes on in the worker, the
// dev orchestrator starts the web process again, and the browser that was watching catches up by
// itself: the final status and every log line to the last seq, none twice. Its own cutover, on
// the sandbox's scratch database, rolled back at the end so other specs find the app as it was.
const NAME = `Web restart spec ${Date.now()}`;

function sandboxApp() {
  return JSON.parse(readFileSync(`${E2E_HOME}/sandbox.json`, "utf8")).apps[0] as { routerUrl: string; rehearsalTargetDatabaseUrl: string };
}

/** What `npm run dev` runs now (scripts/dev/processes.ts). */
function webPid(): { pid: number; restarts: number } {
  const list = JSON.parse(readFileSync(`${E2E_HOME}/processes.json`, "utf8")) as { children: Record<string, { pid: number; restarts: number }> };
  return list.children.web!;
}

async function emptyScratchTarget(): Promise<string> {
  const url = sandboxApp().rehearsalTargetDatabaseUrl;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  } finally {
    await db.end();
  }
  return url;
}

async function as(playwright: typeof import("@playwright/test").request, role: string, ip: string): Promise<APIRequestContext> {
  const api = await playwright.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": ip, origin: BASE } });
  const res = await api.post("/api/auth/sign-in/email", { data: { email: `${role}@switchyard.local`, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return api;
}

async function approvedCutover(operator: APIRequestContext, approvers: APIRequestContext[]): Promise<string> {
  const { apps } = await (await operator.get("/api/heroku-apps")).json();
  const app = apps.find((a: { name: string }) => a.name === "switchyard-demo");
  const created = await operator.post("/api/cutovers", {
    data: {
      name: NAME,
      herokuAppId: app.id,
      targetDatabaseUrl: await emptyScratchTarget(),
      smokeChecks: [{ url: `${sandboxApp().routerUrl}/`, expectText: "Switchyard sample" }],
      windowStartsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      windowEndsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      timeZone: "UTC",
      requiredApprovals: 2,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = await created.json();
  const cutoverId = (body.cutover?.id ?? body.id) as string;
  const { planHash } = await (await operator.get(`/api/cutovers/${cutoverId}`)).json();
  for (const approver of approvers) {
    const res = await approver.post(`/api/cutovers/${cutoverId}/sign-offs`, { data: { planHash, decision: "approve", comment: "web restart spec" } });
    expect(res.status(), await res.text()).toBe(201);
  }
  return cutoverId;
}

/** GET through the web process, tolerating the moments it is down or compiling. */
async function getWhenUp(api: APIRequestContext, path: string) {
  for (;;) {
    const res = await api.get(path, { timeout: 60_000 }).catch(() => null);
    if (res?.ok()) return res.json();
    await new Promise((r) => setTimeout(r, 500));
  }
}

test("the web process killed mid-run: the run finishes in the worker and the open run view catches up", async ({ playwright, browser }) => {
  test.setTimeout(600_000);
  const operator = await as(playwright.request, "operator", "10.11.0.1");
  const cutoverId = await approvedCutover(operator, [await as(playwright.request, "approver", "10.11.0.2"), await as(playwright.request, "approver2", "10.11.0.3")]);
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "10.11.0.4" } });
  const page = await context.newPage();
  await signIn(page, "operator@switchyard.local");
  // Compile the run page before the run starts, so the kill lands while it runs.
  await page.goto("/runs/00000000-0000-4000-8000-000000000000");
  await expect(page.getByText("There is no run with id")).toBeVisible();

  const started = await operator.post(`/api/cutovers/${cutoverId}/runs`, { data: { kind: "live" } });
  expect(started.status(), await started.text()).toBe(201);
  const runId = (await started.json()).run.id as string;
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  await expect(page.getByTestId("log-line").first()).toBeAttached();
  const before = webPid();
  const { status: statusAtKill } = await getWhenUp(operator, `/api/runs/${runId}`);
  expect(["queued", "running"], "the kill lands mid-run").toContain(statusAtKill);

  process.kill(before.pid, "SIGKILL");
  // The orchestrator notices, clears what is left of the old process group, and starts a new one.
  await expect.poll(() => webPid().pid, { timeout: 60_000 }).not.toBe(before.pid);
  expect(webPid().restarts).toBe(before.restarts + 1);
  // The run never depended on the web process.
  await expect.poll(async () => (await getWhenUp(operator, `/api/runs/${runId}`)).status, { timeout: 300_000 }).toBe("succeeded");

  // The page that stayed open catches up: the final status, every line up to the last seq, none twice.
  const { lastLogSeq } = await getWhenUp(operator, `/api/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  await expect(page.getByTestId("live-state")).toHaveText("Live", { timeout: 60_000 });
  await expect(page.locator(`[data-testid=log-line][data-seq="${lastLogSeq}"]`)).toBeAttached({ timeout: 60_000 });
  const shown = await page.getByTestId("log-line").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-seq"))));
  expect(shown, "rendered rows: consecutive seqs, none twice").toEqual(shown.map((_, i) => shown[0]! + i));
  expect(shown.at(-1)).toBe(lastLogSeq);
  // A page opened after the restart shows the same.
  const fresh = await context.newPage();
  await fresh.goto(`/runs/${runId}`);
  await expect(fresh.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });

  // Put the sandbox app back on its database for the other specs.
  const rollback = await operator.post(`/api/runs/${runId}/rollback`, { data: { reason: "web restart spec: cleaning up" } });
  expect([200, 202], await rollback.text()).toContain(rollback.status());
  await expect.poll(async () => (await getWhenUp(operator, `/api/runs/${runId}`)).status, { timeout: 300_000 }).toBe("rolled_back");
  await context.close();
});
