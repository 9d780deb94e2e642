import type { Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { createUser } from "@/lib/user/create-user";

/** Demo accounts for local use only; `npm run dev` prints them. */
export const DEMO_PASSWORD = "switchyard-demo";
export const DEMO_USERS = [
  { email: "admin@switchyard.local", name: "Ada Admin", role: "admin" },
  { email: "operator@switchyard.local", name: "Otto Operator", role: "operator" },
  { email: "approver@switchyard.local", name: "April Approver", role: "approver" },
  { email: "approver2@switchyard.local", name: "Abe Approver", role: "approver" },
  { email: "viewer@switchyard.local", name: "Vic Viewer", role: "viewer" },
] as const;

export const DEMO_CUTOVER_NAME = "Move switchyard-demo to the new Postgres";

export interface DemoSandbox {
  emulatorUrl: string;
  apiToken: string;
  appName: string;
  targetDatabaseUrl?: string;
  rehearsalDatabaseUrl?: string;
  routerUrl?: string;
}

/** Idempotent: creates what is missing and leaves what exists, so every `npm run dev` can run it. */
export async function seedDemo({ ctx, input }: { ctx: Ctx; input: DemoSandbox }) {
  for (const user of DEMO_USERS) {
    if (!(await ctx.db.user.findUnique({ where: { email: user.email } }))) {
      await createUser({ ctx, input: { ...user, password: DEMO_PASSWORD } });
    }
  }
  const app =
    (await ctx.db.herokuApp.findUnique({
      where: { apiBaseUrl_name: { apiBaseUrl: input.emulatorUrl, name: input.appName } },
    })) ??
    (await addHerokuApp({ ctx, input: { name: input.appName, apiBaseUrl: input.emulatorUrl, apiToken: input.apiToken } }));
  const existing = await ctx.db.cutover.findFirst({ where: { herokuAppId: app.id, name: DEMO_CUTOVER_NAME } });
  if (existing) return { cutoverId: existing.id, herokuAppId: app.id };
  const cutover = await createCutover({
    ctx,
    input: {
      name: DEMO_CUTOVER_NAME,
      herokuAppId: app.id,
      targetDatabaseUrl: input.targetDatabaseUrl,
      rehearsalDatabaseUrl: input.rehearsalDatabaseUrl,
      smokeChecks: input.routerUrl
        ? [{ url: `${input.routerUrl}/`, expectStatus: 200, expectText: "Switchyard sample", maxLatencyMs: 2000, imagesLoad: true }]
        : [],
      timeZone: "Europe/Berlin",
      requiredApprovals: 2,
    },
  });
  return { cutoverId: cutover.id, herokuAppId: app.id };
}
