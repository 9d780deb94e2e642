import type { ProcessCount } from "@/lib/platform/types";
import { outputOf } from "../outputs";
import { rememberedByEarlierRun } from "./left-by-earlier-run";
import { CORE_KEYS } from "@/lib/steps/core-plan";
import { restoreFormationKind } from "@/lib/steps/kinds/restore-formation";
import { scaleDownKind } from "@/lib/steps/kinds/scale-down";
import { defineExecutor, type StepContext } from "../types";

export interface ScaleDownOutput {
  /** The formation before scaling, to restore afterwards. */
  formation: ProcessCount[];
}

// Maintenance mode only stops the router; worker and clock dynos keep writing unless scaled away.
const scaledAway = (f: ProcessCount[]) => f.filter((e) => e.type !== "web" && e.quantity > 0);

// Both formation steps read and set the formation only: safe to repeat.
const FORMATION_STEP = {
  timeoutMs: 180_000,
  retry: { attempts: 3, backoffMs: 2_000 },
  idempotent: true,
} as const;

// A formation step's budget leaves room for the reads and the scale before the wait.
const SETTLE_MS = 150_000;

export const scaleDownStep = defineExecutor(scaleDownKind, {
  ...FORMATION_STEP,
  async run(ctx) {
    const formation = await ctx.platform.formation();
    const earlier = (await rememberedByEarlierRun<ScaleDownOutput>(ctx, CORE_KEYS.scaleDown))?.formation ?? [];
    // A type at 0 that an unfinished earlier attempt scaled down gets back what it had then.
    const remembered = formation.map(({ type, quantity }) => ({ type, quantity: quantity || (earlier.find((e) => e.type === type)?.quantity ?? 0) }));
    const targets = scaledAway(formation);
    if (targets.length) await ctx.platform.scale(targets.map((e) => ({ type: e.type, quantity: 0 })));
    // Scaling answers before the dynos stop; until they have, they may still write.
    await ctx.platform.waitForDynosSettled({ timeoutMs: SETTLE_MS, signal: ctx.signal, log: ctx.log });
    ctx.log.info(targets.length ? `scaled ${targets.map((e) => `${e.type} (${e.quantity})`).join(", ")} to 0` : "no non-web process types were running");
    return { output: { formation: remembered } satisfies ScaleDownOutput };
  },
  async rollback(ctx, _params, output) {
    await restoreFormation(ctx, (output as unknown as ScaleDownOutput).formation);
  },
});

export const restoreFormationStep = defineExecutor(restoreFormationKind, {
  ...FORMATION_STEP,
  async run(ctx) {
    const { formation } = outputOf<ScaleDownOutput>(ctx, CORE_KEYS.scaleDown);
    await restoreFormation(ctx, formation);
    return { output: { formation } };
  },
});

async function restoreFormation(ctx: StepContext, formation: ScaleDownOutput["formation"]) {
  const current = await ctx.platform.formation();
  const changes = formation.filter((want) => current.find((c) => c.type === want.type)?.quantity !== want.quantity);
  if (changes.length) await ctx.platform.scale(changes);
  await ctx.platform.waitForDynosSettled({ timeoutMs: SETTLE_MS, signal: ctx.signal, log: ctx.log });
  ctx.log.info(changes.length ? `formation restored: ${changes.map((c) => `${c.type}=${c.quantity}`).join(", ")}` : "formation already as remembered");
}
