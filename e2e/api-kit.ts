import { readFileSync } from "node:fs";
import { memoryLogger } from "@/worker/engine/step-logger";
import { cleanTarget } from "@/worker/steps/postgres/target";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { BASE, DEMO_PASSWORD, E2E_HOME } from "./support";

type RequestApi = typeof import("@playwright/test").request;

export function sandboxApp() {
  return JSON.parse(readFileSync(`${E2E_HOME}/sandbox.json`, "utf8")).apps[0] as { routerUrl: string; rehearsalTargetDatabaseUrl: string };
}

/** Every schema a copy made (public, billing, heroku_ext…) dropped, as the copy step's overwrite does. */
export async function emptyDatabase(url: string): Promise<void> {
  await cleanTarget(url, memoryLogger());
}

/** The scratch database on the sandbox's target server, emptied (rds_user owns it). */
export async function emptyScratchTarget(): Promise<string> {
  const url = sandboxApp().rehearsalTargetDatabaseUrl;
  await emptyDatabase(url);
  return url;
}

/** An API client signed in as a demo role, from an address of its own (sign-ins are rate limited per address). */
export async function signedInApi(request: RequestApi, role: string, ip: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": ip, origin: BASE } });
  const res = await api.post("/api/auth/sign-in/email", { data: { email: `${role}@switchyard.local`, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return api;
}

/** A draft plan of the sandbox app onto the emptied scratch database, window open, needing `approvals` sign-offs. */
export async function draftCutover(operator: APIRequestContext, name: string, approvals: number): Promise<string> {
  const { apps } = await (await operator.get("/api/heroku-apps")).json();
  const app = apps.find((a: { name: string }) => a.name === "switchyard-demo");
  const created = await operator.post("/api/cutovers", {
    data: {
      name,
      herokuAppId: app.id,
      targetDatabaseUrl: await emptyScratchTarget(),
      smokeChecks: [{ url: `${sandboxApp().routerUrl}/`, expectText: "Switchyard sample" }],
      windowStartsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      windowEndsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      timeZone: "UTC",
      requiredApprovals: approvals,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = await created.json();
  return (body.cutover?.id ?? body.id) as string;
}

/** Every approver signs off the plan's current hash. */
export async function signOffAll(operator: APIRequestContext, approvers: APIRequestContext[], cutoverId: string, comment: string): Promise<void> {
  const { planHash } = await (await operator.get(`/api/cutovers/${cutoverId}`)).json();
  for (const approver of approvers) {
    const res = await approver.post(`/api/cutovers/${cutoverId}/sign-offs`, { data: { planHash, decision: "approve", comment } });
    expect(res.status(), await res.text()).toBe(201);
  }
}

/** A plan of the sandbox app onto the emptied scratch database, window open, signed off by every approver: ready for a live run. */
export async function approvedCutover(operator: APIRequestContext, approvers: APIRequestContext[], name: string): Promise<string> {
  const cutoverId = await draftCutover(operator, name, approvers.length);
  await signOffAll(operator, approvers, cutoverId, name);
  return cutoverId;
}

/** Starts the cutover's live run; its id. */
export async function startLiveRun(operator: APIRequestContext, cutoverId: string): Promise<string> {
  const started = await operator.post(`/api/cutovers/${cutoverId}/runs`, { data: { kind: "live" } });
  expect(started.status(), await started.text()).toBe(201);
  return (await started.json()).run.id as string;
}

const SETTLED = ["succeeded", "failed", "cancelled", "needs_attention", "rolled_back", "rollback_failed"];

async function settledRun(api: APIRequestContext, runId: string, deadline: number) {
  for (;;) {
    const res = await api.get(`/api/runs/${runId}`, { timeout: 60_000 }).catch(() => null);
    const run = res?.ok() ? ((await res.json()) as { status: string; canRollback: boolean }) : null;
    if (run && SETTLED.includes(run.status)) return run;
    if (Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * After a spec that failed between its switch and its rollback: the run is rolled back, so the
 * specs after it find the app on its own database instead of failing for this one's reason.
 */
export async function rollBackIfLeftSwitched(api: APIRequestContext, runId: string | undefined): Promise<void> {
  if (!runId) return;
  const deadline = Date.now() + 300_000;
  const run = await settledRun(api, runId, deadline);
  if (!run?.canRollback || run.status === "rolled_back") return;
  const res = await api.post(`/api/runs/${runId}/rollback`, { data: { reason: "e2e: the spec failed before its own rollback" } });
  if (res.status() === 202) await settledRun(api, runId, deadline);
}

/** Registers the cleanup for a spec's live run: call `started(runId)` once the run exists. */
export function rollBackAfterFailure(ip: string): { started(runId: string): void } {
  let runId: string | undefined;
  test.afterEach(async ({ playwright }, info) => {
    if (info.status === info.expectedStatus) return;
    test.setTimeout(info.timeout + 600_000);
    await rollBackIfLeftSwitched(await signedInApi(playwright.request, "operator", ip), runId);
  });
  return { started: (id) => (runId = id) };
}
