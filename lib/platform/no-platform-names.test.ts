import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The worker and the core reach the app's platform only through AppPlatform (lib/platform/types.ts),
// so a second platform is one more adapter, not edits across the steps and the engine.
const ROOT = path.resolve(__dirname, "../..");
const SOURCE = /\.(ts|tsx|mjs|cjs|js)$/;
const TEST = /\.test\.(ts|tsx)$/;

const NAMES_HEROKU = [
  /from\s+["']@\/lib\/heroku["'/]/, // the client and its types; "@/lib/heroku-app" is a different module
  /\bHerokuClient\b/,
  /\bheroku\s*\.\s*[A-Za-z_$][\w$]*\s*\(/, // a call on a client named heroku: heroku.getApp(…), ctx.heroku.listDynos(…)
  /\bctx\.heroku\b/,
];

// Where the platform's own name belongs. Every other lib/ folder (env, api, auth, seed …) passes the scan as it is.
const EXEMPT_DIRS = [
  "lib/heroku/", // the Heroku API client itself
  "lib/platform/heroku/", // the adapter: AppPlatform over that client
  "lib/heroku-app/", // the connected-app registry ("add a Heroku app"); it checks a new app's source with the client
];
const EXEMPT_FILES = new Set([
  // The one worker file that builds the run's client, because it logs and audits every request (the "heroku.request" action).
  "worker/engine/heroku-for-run.ts",
]);

function sourcesUnder(dir: string): string[] {
  return (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .map((f) => path.join(dir, f).split(path.sep).join("/"))
    .filter((f) => SOURCE.test(f) && !TEST.test(f) && !f.startsWith("lib/generated/"));
}

const exempt = (file: string) => EXEMPT_FILES.has(file) || EXEMPT_DIRS.some((dir) => file.startsWith(dir));

describe("no platform names outside the adapter", () => {
  it("keeps Heroku's client and calls out of the worker and lib/, except where the platform is the subject", () => {
    const offenders = [...sourcesUnder("worker"), ...sourcesUnder("lib")].filter((file) => {
      if (exempt(file)) return false;
      const text = readFileSync(path.join(ROOT, file), "utf8");
      return NAMES_HEROKU.some((pattern) => pattern.test(text));
    });
    expect(offenders, "use ctx.platform (AppPlatform from @/lib/platform/types); Heroku calls go in lib/platform/heroku/").toEqual([]);
  });
});
