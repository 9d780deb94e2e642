import { CORE_KEYS } from "@/lib/steps/core-plan";
import { maintenanceKind } from "@/lib/steps/kinds/maintenance";
import { rowWriteCounter } from "../db/write-counter";
import { rememberedByEarlierRun } from "./left-by-earlier-run";
import { defineExecutor } from "../types";

/** Maintenance mode on or off; setting it twice is harmless, so it is idempotent. The rollback frames itself with it. */
export const maintenanceStep = defineExecutor(maintenanceKind, {
  timeoutMs: 120_000,
  retry: { attempts: 3, backoffMs: 2_000 },
  idempotent: true,
  async run(ctx, { on }) {
    const app = ctx.plan.app.name;
    const before = await ctx.platform.maintenance();
    // Maintenance left on by an unfinished earlier attempt of this plan was not the operator's.
    const earlier = on && before ? await rememberedByEarlierRun<{ wasOn?: boolean }>(ctx, CORE_KEYS.maintenanceOn) : null;
    const wasOn = earlier ? earlier.wasOn === true : before;
    const after = await ctx.platform.setMaintenance(on);
    if (after !== on) throw new Error(`${ctx.platform.label} still reports maintenance ${after ? "on" : "off"} for ${app}`);
    ctx.log.info(`maintenance mode is ${on ? "on: customers see the maintenance page" : "off: the app serves customers again"}`);
    // From here customers write to the target; rollback reports how many of those writes stay behind.
    const targetRowWrites = on ? undefined : await rowWriteCounter(ctx.secrets.targetUrl);
    return { output: { app, on, wasOn, at: ctx.now().toISOString(), targetRowWrites } };
  },
});
