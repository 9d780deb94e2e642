import { describe, expect, it } from "vitest";
import { CORE_KEYS, ROLLBACK_KEYS } from "@/lib/steps/core-plan";
import { DEFAULT_RETRY, retryDelayMs } from "./backoff";
import { canonicalEvents, eventsForRunMove, eventsForStepMove, NOTIFY_EVENT_IDS } from "./events";
import { buildPayload, dashboardLink, eventText, requestBody, slackEscape, type EventFacts } from "./payload";
import { assertDeliverable, webhookUrlDisplay, webhookUrlProblem } from "./webhook-url";

const cutover = { id: "11111111-1111-4111-8111-111111111111", name: "Move shop <prod> & co", app: "acme-web" };
const run = { id: "22222222-2222-4222-8222-222222222222", kind: "live", status: "running" };
const at = new Date("2026-12-01T21:30:00.000Z");

describe("which moves notify", () => {
  it("a live run's start, rollback and every terminal status; nothing for preflights and rehearsals", () => {
    expect(eventsForRunMove("live", "queued", "running")).toEqual(["run_started"]);
    expect(eventsForRunMove("live", "running", "rolling_back")).toEqual(["rollback_started"]);
    expect(eventsForRunMove("live", "rollback_failed", "rolling_back")).toEqual(["rollback_started"]);
    for (const to of ["succeeded", "failed", "cancelled", "rolled_back", "rollback_failed", "needs_attention"] as const) {
      expect(eventsForRunMove("live", to === "cancelled" ? "cancelling" : "running", to), to).toEqual(["finished"]);
    }
    expect(eventsForRunMove("live", "running", "cancelling")).toEqual([]);
    expect(eventsForRunMove("live", "failed", "queued")).toEqual([]);
    expect(eventsForRunMove("rehearsal", "queued", "running")).toEqual([]);
    expect(eventsForRunMove("preflight", "running", "failed")).toEqual([]);
  });

  it("the core maintenance steps succeeding (forward and in a rollback), and any failed attempt", () => {
    expect(eventsForStepMove("live", CORE_KEYS.maintenanceOn, "succeeded")).toEqual(["maintenance_enabled"]);
    expect(eventsForStepMove("live", CORE_KEYS.maintenanceOff, "succeeded")).toEqual(["maintenance_disabled"]);
    expect(eventsForStepMove("live", ROLLBACK_KEYS.maintenanceOn, "succeeded")).toEqual(["maintenance_enabled"]);
    expect(eventsForStepMove("live", ROLLBACK_KEYS.maintenanceOff, "succeeded")).toEqual(["maintenance_disabled"]);
    expect(eventsForStepMove("live", CORE_KEYS.maintenanceOn, "running")).toEqual([]);
    expect(eventsForStepMove("live", CORE_KEYS.copy, "succeeded")).toEqual([]);
    expect(eventsForStepMove("live", CORE_KEYS.copy, "failed")).toEqual(["step_failed"]);
    expect(eventsForStepMove("live", CORE_KEYS.copy, "cancelled")).toEqual([]);
    expect(eventsForStepMove("rehearsal", CORE_KEYS.copy, "failed")).toEqual([]);
  });

  it("keeps a channel's events in the list's order, once each", () => {
    expect(canonicalEvents(["finished", "run_started", "finished", "nope"])).toEqual(["run_started", "finished"]);
    expect(canonicalEvents([...NOTIFY_EVENT_IDS].reverse())).toEqual(NOTIFY_EVENT_IDS);
  });
});

describe("what a notification says", () => {
  const cases: Array<[EventFacts, RegExp]> = [
    [{ event: "signoff_needed", version: 3, planHash: "ab".repeat(32), requiredApprovals: 2 }, /^Sign-off needed: .* version 3 \(hash abababababab\) and needs 2 approval\(s\)/],
    [{ event: "window_opens", windowStartsAt: new Date("2026-12-01T22:00:00Z"), windowEndsAt: new Date("2026-12-01T23:30:00Z"), timeZone: "Europe/Berlin", minutes: 30 }, /opens in 30 minutes: Tue, 1 Dec 2026, 22:00–23:30 \(UTC\+00:00\); Tue, 1 Dec 2026, 23:00–Wed, 2 Dec 2026, 00:30 \(UTC\+01:00\) Europe\/Berlin\.$/],
    [{ event: "run_started", run }, /^The live cutover "Move shop <prod> & co" \(acme-web\) has started\.$/],
    [{ event: "rollback_started", run: { ...run, status: "rolling_back" }, reason: "smoke failed" }, /is rolling back \(smoke failed\)\.$/],
    [{ event: "finished", run: { ...run, status: "rolled_back" } }, /was rolled back\.$/],
    [{ event: "finished", run: { ...run, status: "needs_attention" } }, /finished but needs attention\.$/],
    [{ event: "maintenance_enabled", run, step: { key: CORE_KEYS.maintenanceOn, phase: "forward", attempt: 1 } }, /^Maintenance mode is on for acme-web: the cutover "Move shop <prod> & co" is under way\.$/],
    [{ event: "maintenance_enabled", run, step: { key: ROLLBACK_KEYS.maintenanceOn, phase: "rollback", attempt: 1 } }, /^Maintenance mode is on for acme-web: .* is rolling back\.$/],
    [{ event: "maintenance_disabled", run, step: { key: CORE_KEYS.maintenanceOff, phase: "forward", attempt: 1 } }, /^Maintenance mode is off for acme-web again: .* switched it to its new database\.$/],
    [{ event: "maintenance_disabled", run, step: { key: ROLLBACK_KEYS.maintenanceOff, phase: "rollback", attempt: 1 } }, /^Maintenance mode is off for acme-web again: the rollback of .* left it on its old database\.$/],
    [{ event: "step_failed", run, step: { key: CORE_KEYS.copy, phase: "forward", attempt: 2 }, error: "x".repeat(500) }, /^Step copy failed \(attempt 2\) in the live cutover .*: x+…\.$/],
  ];
  it("one sentence per event, from its facts", () => {
    for (const [facts, pattern] of cases) expect(eventText(cutover, facts), facts.event).toMatch(pattern);
    const long = eventText(cutover, cases.at(-1)![0]);
    expect(long.length).toBeLessThan(450);
  });

  it("a payload with the cutover, the run and step when there are, the time and the sentence; never a URL", () => {
    const payload = buildPayload(cutover, { event: "step_failed", run, step: { key: CORE_KEYS.copy, phase: "forward", attempt: 1 } }, at);
    expect(payload).toEqual({
      event: "step_failed",
      cutover,
      run,
      step: { key: CORE_KEYS.copy, phase: "forward", attempt: 1 },
      at: "2026-12-01T21:30:00.000Z",
      text: expect.stringContaining("Step copy failed"),
    });
    const plan = buildPayload(cutover, { event: "signoff_needed", version: 1, planHash: "0".repeat(64), requiredApprovals: 1 }, at);
    expect(plan.run).toBeUndefined();
    expect(plan.step).toBeUndefined();
  });

  it("JSON bodies are the payload plus the dashboard link; Slack's is { text } with markup escaped and the link in <url|label>", () => {
    const payload = buildPayload(cutover, { event: "run_started", run }, at);
    expect(JSON.parse(requestBody("json", payload, null))).toEqual(payload);
    expect(JSON.parse(requestBody("json", payload, "https://sy.example.com/"))).toEqual({ ...payload, url: `https://sy.example.com/runs/${run.id}` });
    const slack = JSON.parse(requestBody("slack", payload, "https://sy.example.com"));
    expect(Object.keys(slack)).toEqual(["text"]);
    expect(slack.text).toBe(`The live cutover "Move shop &lt;prod&gt; &amp; co" (acme-web) has started. <https://sy.example.com/runs/${run.id}|Open in Switchyard>`);
    expect(JSON.parse(requestBody("slack", payload)).text).not.toContain("<");
    expect(slackEscape("<!channel> & <@U1>")).toBe("&lt;!channel&gt; &amp; &lt;@U1&gt;");
    const plan = buildPayload(cutover, { event: "signoff_needed", version: 1, planHash: "0".repeat(64), requiredApprovals: 1 }, at);
    expect(dashboardLink(plan, "https://sy.example.com")).toBe(`https://sy.example.com/cutovers/${cutover.id}`);
  });
});

describe("retry backoff", () => {
  const flat = { ...DEFAULT_RETRY, jitter: 0 };
  it("doubles from the base, is capped, and stops after the last attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, flat))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000]);
    expect(retryDelayMs(8, flat)).toBeNull();
    expect(retryDelayMs(9, flat)).toBeNull();
    expect(retryDelayMs(1, { maxAttempts: 1, baseMs: 10, capMs: 10, jitter: 0 })).toBeNull();
  });

  it("spreads retries by the jitter fraction either way", () => {
    expect(retryDelayMs(1, DEFAULT_RETRY, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, DEFAULT_RETRY, () => 1)).toBe(6_000);
    expect(retryDelayMs(1, DEFAULT_RETRY, () => 0.5)).toBe(5_000);
  });
});

describe("webhook URL policy", () => {
  it("takes https, and http only for a receiver on this machine where private addresses are allowed", () => {
    expect(webhookUrlProblem("https://hooks.slack.com/services/T0/B0/xyz", false)).toBeNull();
    expect(webhookUrlProblem("http://hooks.example.com/x", false)).toMatch(/must start with https:\/\//);
    expect(webhookUrlProblem("http://hooks.example.com/x", true)).toMatch(/must start with https:\/\//);
    expect(webhookUrlProblem("http://127.0.0.1:9999/hook", true)).toBeNull();
    expect(webhookUrlProblem("http://localhost:9999/hook", true)).toBeNull();
    expect(webhookUrlProblem("ftp://example.com/x", true)).toBe("must start with https://");
    expect(webhookUrlProblem("not a url", true)).toMatch(/must be a full URL/);
    expect(webhookUrlProblem(`https://example.com/${"a".repeat(2100)}`, true)).toMatch(/too long/);
  });

  it("refuses internal hosts (SSRF) unless allowed, saying how to allow them", () => {
    for (const url of ["http://127.0.0.1:9999/hook", "https://localhost/x", "https://10.0.0.5/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://192.168.1.2/"]) {
      expect(webhookUrlProblem(url, false), url).toMatch(/must be a public address, but .* \(SMOKE_ALLOW_PRIVATE_URLS=true allows internal ones/);
    }
    expect(webhookUrlProblem("https://10.0.0.5/x", true)).toBeNull();
    expect(webhookUrlProblem("http://10.0.0.5/x", true)).toMatch(/https/);
  });

  it("shows scheme and host only", () => {
    expect(webhookUrlDisplay("https://hooks.slack.com/services/T0/B0/secret?x=1")).toBe("https://hooks.slack.com");
    expect(webhookUrlDisplay("http://user:pw@127.0.0.1:8123/h")).toBe("http://127.0.0.1:8123");
  });

  it("checks again at delivery, including where a name resolves to now", async () => {
    const resolveTo = (addresses: string[]) => async () => addresses;
    await expect(assertDeliverable("https://hooks.example.com/x", false, resolveTo(["93.184.216.34"]))).resolves.toBeUndefined();
    await expect(assertDeliverable("https://hooks.example.com/x", false, resolveTo(["10.1.2.3"]))).rejects.toThrow(/hooks.example.com resolves to 10.1.2.3, a private network address/);
    await expect(assertDeliverable("http://127.0.0.1:1/x", false)).rejects.toThrow(/must be a public address/);
    await expect(assertDeliverable("http://127.0.0.1:1/x", true)).resolves.toBeUndefined();
  });
});
