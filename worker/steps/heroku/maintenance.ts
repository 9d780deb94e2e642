import { z } from "zod";
import { rowWriteCounter } from "../db/write-counter";
import { rememberedByEarlierRun } from "./left-by-earlier-run";
import type { StepDefinition } from "../types";

const Params = z.object({ on: z.boolean() });

/** Maintenance mode on or off; setting it twice is harmless, so it is idempotent. */
export const maintenanceStep: StepDefinition<z.infer<typeof Params>> = {
  kind: "heroku.maintenance",
  params: Params,
  timeoutMs: 120_000,
  retry: { attempts: 3, backoffMs: 2_000 },
  idempotent: true,
  inRehearsal: false,
  touchesApp: true,
  async run(ctx, { on }) {
    const app = ctx.plan.app.name;
    const before = await ctx.heroku.getApp(app);
    // Maintenance left on by an unfinished earlier attempt of this plan was not the operator's.
    const earlier = on && before.maintenance ? await rememberedByEarlierRun<{ wasOn?: boolean }>(ctx, "maintenance_on") : null;
    const wasOn = earlier ? earlier.wasOn === true : before.maintenance;
    const after = await ctx.heroku.setMaintenance(app, on);
    if (after.maintenance !== on) throw new Error(`Heroku still reports maintenance ${after.maintenance ? "on" : "off"} for ${app}`);
    ctx.log.info(`maintenance mode is ${on ? "on: customers see the maintenance page" : "off: the app serves customers again"}`);
    // From here customers write to the target; rollback reports how many of those writes stay behind.
    const targetRowWrites = on ? undefined : await rowWriteCounter(ctx.secrets.targetUrl);
    return { output: { app, on, wasOn, at: ctx.now().toISOString(), targetRowWrites } };
  },
  async rollback(ctx, { on }, output) {
    // Undo only what this step changed: leave maintenance as the operator had it before.
    if (output.wasOn === on) return;
    await ctx.heroku.setMaintenance(ctx.plan.app.name, !on);
  },
};
