import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { approvedCutover, startLiveRun, signedInApi, rollBackAfterFailure } from "./api-kit";
import { E2E_HOME, signIn } from "./support";

// The web process dies (SIGKILL) in the middle of a live run: the run goes on in the worker, the
// dev orchestrator starts the web process again, and the browser that was watching catches up by
// itself: the final status and every log line to the last seq, none twice. Its own cutover, on
// the sandbox's scratch database, rolled back at the end so other specs find the app as it was.
const NAME = `Web restart spec ${Date.now()}`;

/** What `npm run dev` runs now (scripts/dev/processes.ts). */
function webPid(): { pid: number; restarts: number } {
  const list = JSON.parse(readFileSync(`${E2E_HOME}/processes.json`, "utf8")) as { children: Record<string, { pid: number; restarts: number }> };
  return list.children.web!;
}

/** GET through the web process, tolerating the moments it is down or compiling. */
async function getWhenUp(api: APIRequestContext, path: string) {
  for (;;) {
    const res = await api.get(path, { timeout: 60_000 }).catch(() => null);
    if (res?.ok()) return res.json();
    await new Promise((r) => setTimeout(r, 500));
  }
}

const cleanup = rollBackAfterFailure("10.11.0.9");

test("the web process killed mid-run: the run finishes in the worker and the open run view catches up", async ({ playwright, browser }) => {
  test.setTimeout(600_000);
  const operator = await signedInApi(playwright.request, "operator", "10.11.0.1");
  const cutoverId = await approvedCutover(operator, [await signedInApi(playwright.request, "approver", "10.11.0.2"), await signedInApi(playwright.request, "approver2", "10.11.0.3")], NAME);
  const context = await browser.newContext();
  // `next dev`'s hot-reload socket is a development aid a deployed dashboard does not have, and a
  // page that sees it reconnect to a restarted `next dev` reloads itself in a loop (Turbopack).
  // So the socket a page opened before the kill never hears of the restart, as without HMR.
  let killed = false;
  await context.routeWebSocket(/\/_next\/(webpack-)?hmr/, (ws) => {
    const openedBeforeKill = !killed;
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (!(openedBeforeKill && killed)) ws.send(message);
    });
    server.onClose(() => {
      if (!openedBeforeKill) ws.close();
    });
    // (A page opened after the restart is not checked: `next dev` reloads those in a loop too.)
  });
  const page = await context.newPage();
  await signIn(page, "operator@switchyard.local");
  // Compile the run page before the run starts, so the kill lands while it runs.
  await page.goto("/runs/00000000-0000-4000-8000-000000000000");
  await expect(page.getByText("There is no run with id")).toBeVisible();

  const runId = await startLiveRun(operator, cutoverId);

  cleanup.started(runId);
  await page.goto(`/runs/${runId}`);
  // A fresh `next dev` compiles the page's API routes on first use: allow for a slow machine.
  await expect(page.getByTestId("live-state")).toHaveText("Live", { timeout: 90_000 });
  await expect(page.getByTestId("log-line").first()).toBeAttached({ timeout: 30_000 });
  const before = webPid();
  const { status: statusAtKill } = await getWhenUp(operator, `/api/runs/${runId}`);
  expect(["queued", "running"], "the kill lands mid-run").toContain(statusAtKill);

  killed = true;
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
  // Put the sandbox app back on its database for the other specs.
  const rollback = await operator.post(`/api/runs/${runId}/rollback`, { data: { reason: "web restart spec: cleaning up" } });
  expect([200, 202], await rollback.text()).toContain(rollback.status());
  await expect.poll(async () => (await getWhenUp(operator, `/api/runs/${runId}`)).status, { timeout: 300_000 }).toBe("rolled_back");
  await context.close();
});
