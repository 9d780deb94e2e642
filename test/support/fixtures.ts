import type { Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";

let counter = 0;

/** A connected app and a draft cutover, for tests that need something to act on. */
export async function makeCutover(ctx: Ctx, overrides: { targetDatabaseUrl?: string } = {}) {
  counter += 1;
  const app = await addHerokuApp({
    ctx,
    input: { name: `test-app-${counter}-${Date.now() % 100000}`, apiBaseUrl: "http://127.0.0.1:5999", apiToken: "heroku-token-abcdef123456" },
  });
  const cutover = await createCutover({
    ctx,
    input: { name: `Cutover ${counter}`, herokuAppId: app.id, targetDatabaseUrl: overrides.targetDatabaseUrl },
  });
  return { app, cutover };
}

/** A run row in the given status, as the start verb will create it. */
export async function makeRun(ctx: Ctx, cutoverId: string, status: "queued" | "running" = "queued") {
  const cutover = await ctx.db.cutover.findUniqueOrThrow({ where: { id: cutoverId } });
  return ctx.db.cutoverRun.create({
    data: {
      cutoverId,
      kind: "live",
      status,
      planHash: cutover.planHash,
      planSnapshot: { steps: defaultPlanSteps() } as never,
    },
  });
}
