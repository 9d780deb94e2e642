import { assertPublicUrl } from "@/lib/security/url-policy";
import type { PlanSnapshot } from "@/lib/run/plan-snapshot";

export type SmokeCheck = PlanSnapshot["smokeChecks"][number];

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

export interface SmokeOutcome {
  url: string;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  checks: CheckResult[];
  error: string | null;
}

const MAX_IMAGES = 20;
const MAX_REDIRECTS = 5;

/** fetch that checks every hop of a redirect chain against the address policy. */
async function fetchChecked(url: string, allowPrivate: boolean, signal: AbortSignal): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop++) {
    if (!/^https?:$/.test(new URL(current).protocol)) throw new Error(`refused to follow a redirect to ${new URL(current).protocol} (only http and https)`);
    if (!allowPrivate) await assertPublicUrl(current);
    const res = await fetch(current, { redirect: "manual", signal });
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return res;
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    await res.arrayBuffer();
    current = new URL(location, current).toString();
  }
}

/** Fetches one smoke URL and checks status, expected text, latency and (optionally) its images. */
export async function checkUrl(check: SmokeCheck, signal?: AbortSignal, policy: { allowPrivate: boolean } = { allowPrivate: false }): Promise<SmokeOutcome> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetchChecked(check.url, policy.allowPrivate, anySignal(signal, AbortSignal.timeout(Math.max(check.maxLatencyMs * 5, 10_000))));
  } catch (err) {
    return { url: check.url, ok: false, statusCode: null, latencyMs: null, checks: [], error: `request failed: ${(err as Error).message}` };
  }
  const body = await res.text();
  const latencyMs = Math.round(performance.now() - started);
  const checks: CheckResult[] = [
    { check: "status", ok: res.status === check.expectStatus, detail: `${res.status} (expected ${check.expectStatus})` },
    { check: "latency", ok: latencyMs <= check.maxLatencyMs, detail: `${latencyMs} ms (budget ${check.maxLatencyMs} ms)` },
  ];
  if (check.expectText) checks.push({ check: "text", ok: body.includes(check.expectText), detail: `"${check.expectText}" ${body.includes(check.expectText) ? "found" : "missing"}` });
  if (check.imagesLoad) checks.push(await checkImages(res.url || check.url, body, policy.allowPrivate, signal));
  return { url: check.url, ok: checks.every((c) => c.ok), statusCode: res.status, latencyMs, checks, error: null };
}

async function checkImages(pageUrl: string, html: string, allowPrivate: boolean, signal?: AbortSignal): Promise<CheckResult> {
  const sources = [...html.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!).slice(0, MAX_IMAGES);
  const broken: string[] = [];
  await Promise.all(
    sources.map(async (src) => {
      try {
        const res = await fetchChecked(new URL(src, pageUrl).toString(), allowPrivate, anySignal(signal, AbortSignal.timeout(10_000)));
        const type = res.headers.get("content-type") ?? "";
        await res.arrayBuffer();
        if (!res.ok || !type.startsWith("image/")) broken.push(`${src} (${res.status} ${type})`);
      } catch (err) {
        broken.push(`${src} (${(err as Error).message})`);
      }
    }),
  );
  return { check: "images", ok: broken.length === 0, detail: broken.length ? `broken: ${broken.join(", ")}` : `${sources.length} image(s) load` };
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}
