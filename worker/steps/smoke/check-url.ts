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

/** Fetches one smoke URL and checks status, expected text, latency and (optionally) its images. */
export async function checkUrl(check: SmokeCheck, signal?: AbortSignal): Promise<SmokeOutcome> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(check.url, { redirect: "follow", signal: anySignal(signal, AbortSignal.timeout(Math.max(check.maxLatencyMs * 5, 10_000))) });
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
  if (check.imagesLoad) checks.push(await checkImages(res.url || check.url, body, signal));
  return { url: check.url, ok: checks.every((c) => c.ok), statusCode: res.status, latencyMs, checks, error: null };
}

async function checkImages(pageUrl: string, html: string, signal?: AbortSignal): Promise<CheckResult> {
  const sources = [...html.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!).slice(0, MAX_IMAGES);
  const broken: string[] = [];
  await Promise.all(
    sources.map(async (src) => {
      try {
        const res = await fetch(new URL(src, pageUrl), { signal: anySignal(signal, AbortSignal.timeout(10_000)) });
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
