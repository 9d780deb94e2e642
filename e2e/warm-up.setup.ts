import { expect, test } from "@playwright/test";
import { BASE, DEMO_PASSWORD } from "./support";

// `next dev` compiles each page and route on its first request, which on a busy two-core machine
// takes seconds (14 s for the run page while a copy ran). Every page and API route is compiled
// here, once, before the specs, so no spec's timing depends on being the first to ask.
const NIL = "00000000-0000-4000-8000-000000000000";
const PAGES = ["/", "/cutovers/new", `/cutovers/${NIL}`, `/cutovers/${NIL}/edit`, `/runs/${NIL}`, "/audit"];
const ROUTES = [
  "/api/me",
  "/api/cutovers",
  `/api/cutovers/${NIL}`,
  `/api/cutovers/${NIL}/runs`,
  `/api/cutovers/${NIL}/sign-offs`,
  `/api/cutovers/${NIL}/stream-token`,
  "/api/heroku-apps",
  `/api/heroku-apps/${NIL}/source`,
  "/api/target-connection",
  `/api/runs/${NIL}`,
  `/api/runs/${NIL}/logs`,
  `/api/runs/${NIL}/logs/download`,
  `/api/runs/${NIL}/rollback-preview`,
  `/api/runs/${NIL}/rollback`,
  `/api/runs/${NIL}/cancel`,
  "/api/audit",
  "/api/audit/export",
  "/api/tokens",
  `/api/tokens/${NIL}`,
  "/api/openapi.json",
];

/** Best effort: a path that does not compile here is reported, and its spec meets it as before. */
async function touch(label: string, request: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  try {
    await request();
    console.log(`warm-up: ${label} in ${Date.now() - started} ms`);
  } catch (err) {
    console.log(`warm-up: ${label} did not answer (${(err as Error).message.split("\n")[0]})`);
  }
}

test("compile every page and API route of the dev server", async ({ page }) => {
  test.setTimeout(900_000);
  // Signed in over the API (the page shares its cookies): the login page is compiled below too.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "10.250.0.1", origin: BASE });
  const signIn = await page.request.post("/api/auth/sign-in/email", { data: { email: "viewer@switchyard.local", password: DEMO_PASSWORD }, timeout: 120_000 });
  expect(signIn.status(), await signIn.text()).toBe(200);
  // The server's answer is the compile; the page's later life (hydration, dev reloads) is not.
  for (const path of ["/login", ...PAGES]) await touch(path, () => page.goto(path, { timeout: 120_000, waitUntil: "commit" }));
  // Any answer means the route is compiled (a GET on a POST-only route is a 405).
  for (const path of ROUTES) await touch(path, () => page.request.get(path, { timeout: 120_000 }));
});
