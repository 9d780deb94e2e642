import type { FormationEntry } from "@/lib/heroku";
import { outputOf } from "../outputs";
import { rememberedByEarlierRun } from "./left-by-earlier-run";
import { waitForDynosSettled } from "./wait-for-release";
import { NoParams, type StepDefinition } from "../types";

export interface ScaleDownOutput {
  /** The formation before scaling, to restore afterwards. */
  formation: Array<{ type: string; quantity: number }>;
}

// Maintenance mode only stops the router; worker and clock dynos keep writing unless scaled away.
const scaledAway = (f: FormationEntry[]) => f.filter((e) => e.type !== "web" && e.quantity > 0);

// Both formation steps read and set the formation only: safe to repeat, never part of a rehearsal.
const FORMATION_STEP = {
  params: NoParams,
  timeoutMs: 180_000,
  retry: { attempts: 3, backoffMs: 2_000 },
  idempotent: true,
  inRehearsal: false,
  touchesApp: true,
} as const;

export const scaleDownStep: StepDefinition<NoParams> = {
  kind: "heroku.scale_down",
  ...FORMATION_STEP,
  async run(ctx) {
    const app = ctx.plan.app.name;
    const formation = await ctx.heroku.getFormation(app);
    const earlier = (await rememberedByEarlierRun<ScaleDownOutput>(ctx, "scale_down"))?.formation ?? [];
    // A type at 0 that an unfinished earlier attempt scaled down gets back what it had then.
    const remembered = formation.map(({ type, quantity }) => ({ type, quantity: quantity || (earlier.find((e) => e.type === type)?.quantity ?? 0) }));
    const targets = scaledAway(formation);
    if (targets.length) await ctx.heroku.scaleFormation(app, targets.map((e) => ({ type: e.type, quantity: 0 })));
    // Scaling answers before the dynos stop; until they have, they may still write.
    await waitForDynosSettled(ctx, 150_000);
    ctx.log.info(targets.length ? `scaled ${targets.map((e) => `${e.type} (${e.quantity})`).join(", ")} to 0` : "no non-web process types were running");
    return { output: { formation: remembered } satisfies ScaleDownOutput };
  },
  async rollback(ctx, _params, output) {
    await restoreFormation(ctx, (output as unknown as ScaleDownOutput).formation);
  },
};

export const restoreFormationStep: StepDefinition<NoParams> = {
  kind: "heroku.restore_formation",
  ...FORMATION_STEP,
  async run(ctx) {
    const { formation } = outputOf<ScaleDownOutput>(ctx, "scale_down");
    await restoreFormation(ctx, formation);
    return { output: { formation } };
  },
};

async function restoreFormation(ctx: Parameters<StepDefinition["run"]>[0], formation: ScaleDownOutput["formation"]) {
  const app = ctx.plan.app.name;
  const current = await ctx.heroku.getFormation(app);
  const changes = formation.filter((want) => current.find((c) => c.type === want.type)?.quantity !== want.quantity);
  if (changes.length) await ctx.heroku.scaleFormation(app, changes);
  await waitForDynosSettled(ctx, 150_000);
  ctx.log.info(changes.length ? `formation restored: ${changes.map((c) => `${c.type}=${c.quantity}`).join(", ")}` : "formation already as remembered");
}
