import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signedInApi, rollBackAfterFailure } from "./api-kit";
import { E2E_HOME, signIn } from "./support";

// A full live cutover of the sandbox app and its rollback, driven through the HTTP API as
// operators and approvers would, then every API answer and rendered page is searched for secrets.
const HOME = E2E_HOME;
const ACTIVE = ["queued", "running", "cancelling", "rolling_back"];

function secrets(): string[] {
  const sandbox = JSON.parse(readFileSync(`${HOME}/sandbox.json`, "utf8"));
  const app = sandbox.apps[0];
  const passwords = [app.sourceDatabaseUrl, app.targetDatabaseUrl, app.rehearsalTargetDatabaseUrl].map((u: string) => decodeURIComponent(new URL(u).password));
  return [sandbox.apiToken, ...passwords, readFileSync(`${HOME}/secret.key`, "utf8").trim(), readFileSync(`${HOME}/embedded-db-password`, "utf8").trim()];
}

async function waitForRun(api: APIRequestContext, cutoverId: string, runId: string, done: string[], seen: string[]) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const text = await (await api.get(`/api/cutovers/${cutoverId}`)).text();
    seen.push(text);
    const run = JSON.parse(text).runs.find((r: { id: string }) => r.id === runId);
    if (done.includes(run.status)) return run;
    expect(Date.now(), `run still ${run.status}`).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const cleanup = rollBackAfterFailure("10.8.0.9");

test("a full cutover and rollback over the API leak no password or token anywhere", async ({ playwright, page }) => {
  test.setTimeout(600_000);
  const seen: string[] = [];
  const operator = await signedInApi(playwright.request, "operator", "10.8.0.1");
  const approvers = [await signedInApi(playwright.request, "approver", "10.8.0.2"), await signedInApi(playwright.request, "approver2", "10.8.0.3")];
  const list = await (await operator.get("/api/cutovers")).text();
  seen.push(list);
  const cutoverId = JSON.parse(list).cutovers.find((c: { name: string }) => c.name.startsWith("Move switchyard-demo")).id as string;
  let detail = await (await operator.get(`/api/cutovers/${cutoverId}`)).json();
  for (const run of detail.runs.filter((r: { status: string }) => ACTIVE.includes(r.status))) await waitForRun(operator, cutoverId, run.id, ["succeeded", "failed", "cancelled"], seen);

  const window = { windowStartsAt: new Date(Date.now() - 300_000).toISOString(), windowEndsAt: new Date(Date.now() + 3 * 3600_000).toISOString() };
  const edited = await operator.patch(`/api/cutovers/${cutoverId}`, { data: { version: detail.version, ...window } });
  expect(edited.status(), await edited.text()).toBe(200);
  const { planHash } = await edited.json();
  for (const approver of approvers) {
    const res = await approver.post(`/api/cutovers/${cutoverId}/sign-offs`, { data: { planHash, decision: "approve", comment: "looks right" } });
    expect(res.status(), await res.text()).toBe(201);
  }
  detail = await (await operator.get(`/api/cutovers/${cutoverId}`)).json();
  expect(detail.signOffs.filter((s: { current: boolean }) => s.current)).toHaveLength(2);

  const started = await operator.post(`/api/cutovers/${cutoverId}/runs`, { data: { kind: "live" } });
  expect(started.status(), await started.text()).toBe(201);
  const runId = (await started.json()).run.id as string;
  cleanup.started(runId);
  expect((await waitForRun(operator, cutoverId, runId, ["succeeded", "needs_attention", "failed"], seen)).status).toBe("succeeded");
  const rollback = await operator.post(`/api/runs/${runId}/rollback`, { data: { reason: "e2e" } });
  expect(rollback.status(), await rollback.text()).toBe(202);
  expect((await waitForRun(operator, cutoverId, runId, ["rolled_back", "rollback_failed"], seen)).status).toBe("rolled_back");

  const audit = await (await operator.get("/api/audit?limit=500")).text();
  expect(JSON.parse(audit).chain.ok).toBe(true);
  seen.push(audit, await (await operator.get("/api/tokens")).text(), await (await operator.post(`/api/cutovers/${cutoverId}/stream-token`)).text());
  await signIn(page, "admin@switchyard.local");
  for (const path of ["/", "/audit"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    seen.push(await page.content());
  }
  await expect(page.getByTestId("chain-status")).toContainText("Chain verified");
  await page.screenshot({ path: "e2e/artifacts/audit.png", fullPage: true });

  const haystack = seen.join("\n");
  for (const secret of secrets()) expect(haystack.includes(secret), `a secret (${secret.length} chars) appears in an API answer or page`).toBe(false);
});
