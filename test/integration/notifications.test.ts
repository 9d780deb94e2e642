import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { getCutover } from "@/lib/cutover/get-cutover";
import type { CreateCutoverInput } from "@/lib/cutover/schema";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import type { Logger } from "@/lib/log";
import type { DeliverDeps } from "@/lib/notify/deliver";
import { NOTIFY_EVENT_IDS } from "@/lib/notify/events";
import { enqueueWindowOpens, windowOpensKey } from "@/lib/notify/window-sweep";
import type { RunStatus, StepStatus } from "@/lib/run/state-machine";
import { transitionRun } from "@/lib/run/transition-run";
import { transitionStep } from "@/lib/run/transition-step";
import { CORE_KEYS, ROLLBACK_KEYS } from "@/lib/steps/core-plan";
import { startNotifier } from "@/worker/notify/notifier";
import { makeRun } from "../support/fixtures";
import { scanForSecrets } from "../support/secret-scan";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();

// ---- a real webhook receiver on 127.0.0.1 -------------------------------------------------------

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let receiver: http.Server;
let base = "";
const received: Received[] = [];
/** Paths that answer 500 this many more times before answering 200. */
const failuresLeft = new Map<string, number>();

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      received.push({ path, headers: req.headers, body: JSON.parse(data) });
      if (path.startsWith("/hang/")) return; // never answers; the sender's timeout ends it
      const left = failuresLeft.get(path) ?? 0;
      if (left > 0) {
        failuresLeft.set(path, left - 1);
        res.writeHead(500, { "content-type": "text/plain" }).end(`receiver broken at ${path}, try later`);
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const bodiesAt = (path: string) => received.filter((r) => r.path === path);

// ---- helpers ----------------------------------------------------------------------------------------

let counter = 0;
const secretPath = (kind: string) => `/${kind}/tok-${++counter}-Zq8SecretWebhookPart`;

async function planWith(ctx: Ctx, notifications: CreateCutoverInput["notifications"], extra: Partial<CreateCutoverInput> = {}) {
  const app = await addHerokuApp({ ctx, input: { name: `notify-app-${++counter}`, apiBaseUrl: "http://127.0.0.1:5999", apiToken: "heroku-token-abcdef123456" } });
  return createCutover({ ctx, input: { name: `Notify ${counter}`, herokuAppId: app.id, notifications, ...extra } });
}

function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") };
}

function deliverDeps(log: Logger, overrides: Partial<DeliverDeps> = {}): DeliverDeps {
  return {
    db: t.db,
    secretKey: t.ctx().secretKey,
    log,
    allowPrivate: true,
    publicUrl: "https://switchyard.example.com",
    retry: { maxAttempts: 3, baseMs: 50, capMs: 200, jitter: 0 },
    timeoutMs: 400,
    ...overrides,
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `fn` with the worker's notification loop going, then stops the loop. */
async function withNotifier<T>(deps: DeliverDeps, fn: () => Promise<T>): Promise<T> {
  const notifier = await startNotifier(deps, { listenUrl: t.url, pollMs: 100 });
  try {
    return await fn();
  } finally {
    await notifier.stop();
  }
}

async function moveRun(ctx: Ctx, runId: string, from: RunStatus, to: RunStatus, reason = "test") {
  return transitionRun({ ctx, input: { runId, from, to, reason } });
}

/** One attempt at a step through the real transitions: pending → running → `to`. */
async function stepTo(ctx: Ctx, runId: string, stepKey: string, to: StepStatus, phase: "forward" | "rollback" = "forward", error?: string) {
  const row = await t.db.stepRun.create({ data: { runId, stepKey, phase } });
  await transitionStep({ ctx, input: { stepRunId: row.id, from: "pending", to: "running" } });
  await transitionStep({ ctx, input: { stepRunId: row.id, from: "running", to, error } });
  return row;
}

const deliveriesOf = (cutoverId: string) =>
  t.db.notificationDelivery.findMany({ where: { channel: { cutoverId } }, orderBy: { seq: "asc" }, include: { channel: { select: { name: true } } } });

// ---- the tests --------------------------------------------------------------------------------------

describe("channels are part of the signed plan", () => {
  it("hashes name, format, events, lead time and the URL's secret id; keeps a channel and its sealed URL by id; shows the URL masked", async () => {
    const ctx = t.ctx();
    const path = secretPath("hook");
    const cutover = await planWith(ctx, [{ name: "ops", format: "slack", url: `${base}${path}`, events: ["finished", "run_started"], windowLeadMinutes: 15 }]);
    const detail = await getCutover({ ctx, input: { cutoverId: cutover.id } });
    expect(detail.notifications).toEqual([
      { id: expect.any(String), name: "ops", format: "slack", url: base, events: ["run_started", "finished"], windowLeadMinutes: 15, lastDelivery: null },
    ]);
    expect(JSON.stringify(detail)).not.toContain(path);
    const channelId = detail.notifications[0]!.id;
    const secretId = (await t.db.notificationChannel.findUniqueOrThrow({ where: { id: channelId } })).urlSecretId;

    // The same channel sent back without its URL: same row, same secret, same hash.
    const same = await updateCutover({ ctx, input: { cutoverId: cutover.id, version: 1, notifications: [{ id: channelId, name: "ops", format: "slack", events: ["finished", "run_started"], windowLeadMinutes: 15 }] } });
    expect(same.planHash).toBe(cutover.planHash);
    const kept = await t.db.notificationChannel.findUniqueOrThrow({ where: { id: channelId } });
    expect(kept.urlSecretId).toBe(secretId);

    // Each hashed part changes the hash.
    let version = same.version;
    let hash = same.planHash;
    for (const change of [{ events: ["finished"] }, { windowLeadMinutes: 20 }, { format: "json" }, { name: "ops-2" }, { url: `${base}${path}` }]) {
      const next = await updateCutover({
        ctx,
        input: { cutoverId: cutover.id, version, notifications: [{ id: channelId, name: "ops", format: "slack", events: ["finished", "run_started"], windowLeadMinutes: 15, ...change } as never] },
      });
      expect(next.planHash, JSON.stringify(change)).not.toBe(hash);
      [version, hash] = [next.version, next.planHash];
    }
    expect((await t.db.notificationChannel.findUniqueOrThrow({ where: { id: channelId } })).urlSecretId).not.toBe(secretId);

    // An edit that leaves notifications out keeps them; an empty list removes them.
    const renamed = await updateCutover({ ctx, input: { cutoverId: cutover.id, version, name: "renamed" } });
    expect(renamed.planHash).toBe(hash);
    await updateCutover({ ctx, input: { cutoverId: cutover.id, version: renamed.version, notifications: [] } });
    expect(await t.db.notificationChannel.count({ where: { cutoverId: cutover.id } })).toBe(0);
  });

  it("refuses a new channel without a URL, an id of another plan's channel, plain http to a public host, and internal addresses where they are not allowed", async () => {
    const ctx = t.ctx();
    const other = await planWith(ctx, [{ name: "x", url: `${base}/hook/x`, events: ["finished"] }]);
    const otherChannel = (await getCutover({ ctx, input: { cutoverId: other.id } })).notifications[0]!.id;
    await expect(planWith(ctx, [{ name: "no url", events: ["finished"] }])).rejects.toMatchObject({ code: "invalid_input", fields: [{ path: "notifications.0.url", message: "is required for a new channel" }] });
    await expect(planWith(ctx, [{ name: "n", url: "http://hooks.example.com/x", events: ["finished"] }])).rejects.toMatchObject({
      fields: [{ path: "notifications.0.url", message: expect.stringMatching(/must start with https:\/\//) }],
    });
    await expect(planWith(ctx, [{ name: "n", url: `${base}/x`, events: [] }])).rejects.toMatchObject({ fields: [{ path: "notifications.0.events", message: "must name at least one event" }] });
    await expect(planWith(ctx, [{ name: "n", url: `${base}/x`, events: ["sometimes" as never] }])).rejects.toMatchObject({ fields: [{ path: "notifications.0.events.0" }] });
    const mine = await planWith(ctx, []);
    await expect(updateCutover({ ctx, input: { cutoverId: mine.id, version: 1, notifications: [{ id: otherChannel, name: "steal", events: ["finished"] }] } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ path: "notifications.0.id", message: expect.stringMatching(/is not a channel of this plan/) }],
    });
    const before = process.env.SMOKE_ALLOW_PRIVATE_URLS;
    process.env.SMOKE_ALLOW_PRIVATE_URLS = "false";
    try {
      for (const url of [`${base}/hook`, "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/hook", "https://localhost/hook"]) {
        await expect(planWith(ctx, [{ name: "n", url, events: ["finished"] }]), url).rejects.toMatchObject({
          fields: [{ path: "notifications.0.url", message: expect.stringMatching(/must be a public address, but .*SMOKE_ALLOW_PRIVATE_URLS=true/) }],
        });
      }
    } finally {
      process.env.SMOKE_ALLOW_PRIVATE_URLS = before;
    }
  });
});

describe("the outbox is written in the transaction of the change", () => {
  it("queues sign-off needed with a new plan and a changed hash, and a run's events only when its transition commits", async () => {
    const ctx = t.ctx();
    const cutover = await planWith(ctx, [{ name: "all", url: `${base}${secretPath("hook")}`, events: [...NOTIFY_EVENT_IDS] }], { requiredApprovals: 2 });
    expect((await deliveriesOf(cutover.id)).map((d) => d.dedupeKey)).toEqual(["signoff_needed:v1"]);
    await updateCutover({ ctx, input: { cutoverId: cutover.id, version: 1, name: "renamed only" } });
    await updateCutover({ ctx, input: { cutoverId: cutover.id, version: 2, requiredApprovals: 1 } });
    expect((await deliveriesOf(cutover.id)).map((d) => d.dedupeKey)).toEqual(["signoff_needed:v1", "signoff_needed:v3"]);

    const run = await makeRun(ctx, cutover.id);
    // The transition rolls back (here: its caller's transaction fails after it): nothing is queued.
    await expect(
      t.db.$transaction(async (tx) => {
        await transitionRun({ ctx: { ...ctx, tx }, input: { runId: run.id, from: "queued", to: "running", reason: "claimed" } });
        expect(await tx.notificationDelivery.count({ where: { event: "run_started", channel: { cutoverId: cutover.id } } })).toBe(1);
        throw new Error("the caller failed after the move");
      }),
    ).rejects.toThrow("the caller failed after the move");
    expect((await t.db.cutoverRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("queued");
    expect(await t.db.notificationDelivery.count({ where: { event: "run_started", channel: { cutoverId: cutover.id } } })).toBe(0);

    await moveRun(ctx, run.id, "queued", "running");
    await stepTo(ctx, run.id, CORE_KEYS.preflight, "succeeded");
    expect((await deliveriesOf(cutover.id)).map((d) => d.event)).toEqual(["signoff_needed", "signoff_needed", "run_started"]);
  });

  it("queues nothing for a preflight or a rehearsal, nor for a channel that did not choose the event", async () => {
    const ctx = t.ctx();
    const cutover = await planWith(ctx, [{ name: "end only", url: `${base}${secretPath("hook")}`, events: ["finished"] }], { requiredApprovals: 0 });
    const live = await makeRun(ctx, cutover.id);
    await moveRun(ctx, live.id, "queued", "running");
    await stepTo(ctx, live.id, CORE_KEYS.maintenanceOn, "succeeded");
    await moveRun(ctx, live.id, "running", "succeeded");
    const rehearsal = await t.db.cutoverRun.create({ data: { cutoverId: cutover.id, kind: "rehearsal", status: "queued", planHash: cutover.planHash, planSnapshot: {} } });
    await moveRun(ctx, rehearsal.id, "queued", "running");
    await stepTo(ctx, rehearsal.id, CORE_KEYS.copy, "failed", "forward", "boom");
    await moveRun(ctx, rehearsal.id, "running", "failed");
    expect((await deliveriesOf(cutover.id)).map((d) => `${d.event}:${(d.payload as { run?: { status: string } }).run?.status}`)).toEqual(["finished:succeeded"]);
  });
});

describe("delivery", () => {
  it("delivers a live cutover's events in order to the receiver, in each channel's format, and records each delivery", async () => {
    const ctx = t.ctx();
    const [jsonPath, slackPath] = [secretPath("hook"), secretPath("slack")];
    const cutover = await planWith(
      ctx,
      [
        { name: "json", format: "json", url: `${base}${jsonPath}`, events: [...NOTIFY_EVENT_IDS] },
        { name: "slack", format: "slack", url: `${base}${slackPath}`, events: [...NOTIFY_EVENT_IDS] },
      ],
      { requiredApprovals: 1 },
    );
    const run = await makeRun(ctx, cutover.id);
    await moveRun(ctx, run.id, "queued", "running");
    await stepTo(ctx, run.id, CORE_KEYS.maintenanceOn, "succeeded");
    await stepTo(ctx, run.id, CORE_KEYS.copy, "failed", "forward", "COPY public.orders failed: target restarted");
    await moveRun(ctx, run.id, "running", "failed", "copy failed");
    await moveRun(ctx, run.id, "failed", "rolling_back", "rollback requested");
    await stepTo(ctx, run.id, ROLLBACK_KEYS.maintenanceOff, "succeeded", "rollback");
    await moveRun(ctx, run.id, "rolling_back", "rolled_back", "rollback completed");
    const expected = ["signoff_needed", "run_started", "maintenance_enabled", "step_failed", "finished", "rollback_started", "maintenance_disabled", "finished"];

    const log = memoryLog();
    await withNotifier(deliverDeps(log), () => until("all delivered", async () => (await deliveriesOf(cutover.id)).every((d) => d.status === "delivered") || null));

    const json = bodiesAt(jsonPath);
    expect(json.map((r) => r.body.event)).toEqual(expected);
    expect(json.map((r) => r.headers["x-switchyard-event"])).toEqual(expected);
    expect(json[3]!.body).toEqual({
      event: "step_failed",
      cutover: { id: cutover.id, name: cutover.name, app: expect.stringMatching(/^notify-app-/) },
      run: { id: run.id, kind: "live", status: "running" },
      step: { key: CORE_KEYS.copy, phase: "forward", attempt: 1 },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      text: expect.stringContaining("Step copy failed (attempt 1) in the live cutover"),
      url: `https://switchyard.example.com/runs/${run.id}`,
    });
    expect(json[0]!.body.url).toBe(`https://switchyard.example.com/cutovers/${cutover.id}`);
    expect(json[7]!.body).toMatchObject({ run: { status: "rolled_back" }, text: expect.stringContaining("was rolled back") });

    const slack = bodiesAt(slackPath);
    expect(slack).toHaveLength(expected.length);
    for (const r of slack) expect(Object.keys(r.body)).toEqual(["text"]);
    expect(slack.map((r) => r.headers["x-switchyard-event"])).toEqual(expected);
    const app = (json[1]!.body.cutover as { app: string }).app;
    expect(slack[1]!.body.text).toBe(`The live cutover "${cutover.name}" (${app}) has started. <https://switchyard.example.com/runs/${run.id}|Open in Switchyard>`);

    const rows = await deliveriesOf(cutover.id);
    expect(rows).toHaveLength(expected.length * 2);
    for (const row of rows) expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(Date) });
    expect(new Set(json.map((r) => r.headers["x-switchyard-delivery"])).size).toBe(expected.length);
  });

  it("retries a receiver answering 500 with backoff, in order, until it accepts; the same delivery id each time", async () => {
    const ctx = t.ctx();
    const path = secretPath("flaky");
    failuresLeft.set(path, 2);
    const cutover = await planWith(ctx, [{ name: "flaky", format: "json", url: `${base}${path}`, events: ["run_started", "finished"] }], { requiredApprovals: 0 });
    const run = await makeRun(ctx, cutover.id);
    await moveRun(ctx, run.id, "queued", "running");
    await moveRun(ctx, run.id, "running", "succeeded");
    const log = memoryLog();
    await withNotifier(deliverDeps(log), () => until("both delivered", async () => (await deliveriesOf(cutover.id)).every((d) => d.status === "delivered") || null));

    const got = bodiesAt(path);
    expect(got.map((r) => r.body.event)).toEqual(["run_started", "run_started", "run_started", "finished"]);
    expect(new Set(got.slice(0, 3).map((r) => r.headers["x-switchyard-delivery"])).size).toBe(1);
    const [started, finished] = await deliveriesOf(cutover.id);
    expect(started).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null });
    expect(finished).toMatchObject({ status: "delivered", attempts: 1 });
    expect(log.lines.filter((l) => l.startsWith("warn"))).toEqual([
      expect.stringMatching(/^warn notification run_started to channel "flaky" \(http:\/\/127\.0\.0\.1:\d+\): attempt 1 failed \(answered HTTP 500: receiver broken at \*\*\*\*, try later\); retrying in 0\.1 s$/),
      expect.stringMatching(/attempt 2 failed .*retrying in 0\.1 s$/),
    ]);
  });

  it("gives up on a receiver that never answers after its attempts, without holding up the run or the plan's other channels", async () => {
    const ctx = t.ctx();
    const [hangPath, okPath] = [secretPath("hang"), secretPath("hook")];
    const cutover = await planWith(
      ctx,
      [
        { name: "dead", format: "slack", url: `${base}${hangPath}`, events: ["run_started", "finished"] },
        { name: "alive", format: "json", url: `${base}${okPath}`, events: ["run_started", "finished"] },
      ],
      { requiredApprovals: 0 },
    );
    const log = memoryLog();
    await withNotifier(deliverDeps(log, { timeoutMs: 300 }), async () => {
      const run = await makeRun(ctx, cutover.id);
      const started = Date.now();
      await moveRun(ctx, run.id, "queued", "running");
      await moveRun(ctx, run.id, "running", "succeeded");
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await t.db.cutoverRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
      // The live channel gets both while the dead one is still being tried.
      await until("the alive channel has both", async () => bodiesAt(okPath).length === 2 || null);
      await until("the dead channel gave up on both", async () => (await deliveriesOf(cutover.id)).filter((d) => d.channel.name === "dead").every((d) => d.status === "failed") || null);
    });
    const dead = (await deliveriesOf(cutover.id)).filter((d) => d.channel.name === "dead");
    for (const d of dead) expect(d).toMatchObject({ status: "failed", attempts: 3, lastStatusCode: null, lastError: "no answer within 0.3 s", deliveredAt: null });
    expect(bodiesAt(hangPath).map((r) => r.headers["x-switchyard-event"])).toEqual(["run_started", "run_started", "run_started", "finished", "finished", "finished"]);
    expect(bodiesAt(okPath).map((r) => r.body.event)).toEqual(["run_started", "finished"]);
    expect(log.lines.filter((l) => l.includes('"dead"') && l.includes("giving up"))).toHaveLength(2);
  });

  it("never writes the webhook URL into the outbox, the audit trail, the plan or the logs, not even in an error", async () => {
    const ctx = t.ctx();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const urls = [`${base}${secretPath("flaky")}?key=QueryPartSecret999`, `http://127.0.0.1:${closedPort}${secretPath("refused")}`];
    failuresLeft.set(new URL(urls[0]!).pathname + new URL(urls[0]!).search, 1);
    const cutover = await planWith(ctx, urls.map((url, i) => ({ name: `c${i}`, format: "json" as const, url, events: ["signoff_needed" as const] })), { requiredApprovals: 1 });
    const log = memoryLog();
    await withNotifier(deliverDeps(log), () =>
      until("the first delivered, the second given up", async () => {
        const rows = await deliveriesOf(cutover.id);
        return (rows[0]?.status === "delivered" && rows[1]?.status === "failed") || null;
      }),
    );
    const rows = await deliveriesOf(cutover.id);
    expect(rows[1]!.lastError).toMatch(/^request failed: ECONNREFUSED/);
    const text = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v));
    const stored = text(await t.db.$queryRawUnsafe(`SELECT row_to_json(d)::text AS r FROM notification_deliveries d`));
    const channels = text(await t.db.notificationChannel.findMany({ where: { cutoverId: cutover.id } }));
    const audit = text(await t.db.auditEvent.findMany({ where: { entityId: cutover.id } }));
    for (const url of urls) {
      const u = new URL(url);
      for (const part of [url, u.pathname, u.search.slice(1)].filter((p) => p.length >= 6)) {
        expect(stored, part).not.toContain(part);
        expect(channels, part).not.toContain(part);
        expect(audit, part).not.toContain(part);
        for (const line of log.lines) expect(line, part).not.toContain(part);
      }
    }
    expect(log.lines.some((l) => l.includes("answered HTTP 500: receiver broken at ****"))).toBe(true);
    await scanForSecrets(t, urls.flatMap((u) => [u, new URL(u).pathname]));
  });
});

describe("the window opens sweep", () => {
  it("queues window_opens once per channel and window start, when the start is within the channel's lead time", async () => {
    const ctx = t.ctx();
    const now = new Date();
    const start = new Date(now.getTime() + 20 * 60_000);
    const cutover = await planWith(
      ctx,
      [
        { name: "half hour", url: `${base}${secretPath("hook")}`, events: ["window_opens"], windowLeadMinutes: 30 },
        { name: "ten minutes", url: `${base}${secretPath("hook")}`, events: ["window_opens"], windowLeadMinutes: 10 },
        { name: "not subscribed", url: `${base}${secretPath("hook")}`, events: ["finished"], windowLeadMinutes: 30 },
      ],
      { requiredApprovals: 0, windowStartsAt: start, windowEndsAt: new Date(start.getTime() + 3_600_000), timeZone: "Europe/Berlin" },
    );
    const windowRows = async () => (await deliveriesOf(cutover.id)).filter((d) => d.event === "window_opens");

    const [a, b] = await Promise.all([enqueueWindowOpens(t.db, now), enqueueWindowOpens(t.db, now)]);
    expect(a + b).toBe(1);
    expect(await enqueueWindowOpens(t.db, now)).toBe(0);
    const first = await windowRows();
    expect(first.map((d) => [d.channel.name, d.dedupeKey])).toEqual([["half hour", windowOpensKey(start)]]);
    expect((first[0]!.payload as { text: string }).text).toMatch(/opens in 20 minutes: .* Europe\/Berlin\.$/);

    // Ten minutes before the start the second channel is due too; the first is not sent again.
    const later = new Date(start.getTime() - 9 * 60_000);
    expect(await enqueueWindowOpens(t.db, later)).toBe(1);
    expect(await enqueueWindowOpens(t.db, later)).toBe(0);
    // Once the window has started nothing more is announced.
    expect(await enqueueWindowOpens(t.db, new Date(start.getTime() + 1_000))).toBe(0);

    // A moved window is a new announcement.
    const moved = new Date(start.getTime() + 5 * 60_000);
    await updateCutover({ ctx, input: { cutoverId: cutover.id, version: 1, windowStartsAt: moved, windowEndsAt: new Date(moved.getTime() + 3_600_000) } });
    expect(await enqueueWindowOpens(t.db, later)).toBe(1);
    expect((await windowRows()).map((d) => [d.channel.name, d.dedupeKey])).toEqual([
      ["half hour", windowOpensKey(start)],
      ["ten minutes", windowOpensKey(start)],
      ["half hour", windowOpensKey(moved)],
    ]);
  });
});
