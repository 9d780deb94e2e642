import { z } from "zod";

/** Whether smoke URLs may point at loopback, private or link-local addresses (a local sandbox). Off in production. */
export const allowPrivateSmokeUrls = z.stringbool({ error: "must be true or false" }).default(false);

const SmokeUrlEnv = z.object({ SMOKE_ALLOW_PRIVATE_URLS: allowPrivateSmokeUrls });

/**
 * Read when a plan is validated, in whichever process does it (web, `npm run dev`'s seed, tests).
 * The web and worker schemas carry the same field, so a malformed value stops them at start;
 * here a malformed value counts as "not allowed".
 */
export function privateSmokeUrlsAllowed(source: Record<string, string | undefined> = process.env): boolean {
  const parsed = SmokeUrlEnv.safeParse(source);
  return parsed.success && parsed.data.SMOKE_ALLOW_PRIVATE_URLS;
}

/** For `npm run dev` with the sandbox: its app listens on 127.0.0.1. An explicit setting wins. */
export function allowPrivateSmokeUrlsByDefault(): void {
  process.env.SMOKE_ALLOW_PRIVATE_URLS ??= "true";
}
