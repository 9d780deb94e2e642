import { copyStep } from "./db/copy-step";
import { verifyStep } from "./db/verify-step";
import { writeFreezeStep } from "./db/write-freeze-step";
import { gateStep } from "./gate";
import { restoreFormationStep, scaleDownStep } from "./heroku/formation";
import { maintenanceStep } from "./heroku/maintenance";
import { switchStep } from "./heroku/switch";
import { preflightStep } from "./preflight";
import { smokeStep } from "./smoke/smoke-step";
import type { RunKind } from "@/lib/run/state-machine";
import type { StepDefinition } from "./types";

/** kind → definition. A plan step whose kind is not here is refused when the run starts. */
export const STEP_CATALOG: Record<string, StepDefinition<never>> = Object.fromEntries(
  [preflightStep, gateStep, maintenanceStep, scaleDownStep, writeFreezeStep, copyStep, verifyStep, switchStep, restoreFormationStep, smokeStep].map(
    (d) => [d.kind, d as unknown as StepDefinition<never>],
  ),
);

export function stepDefinition(kind: string): StepDefinition<unknown> {
  const def = STEP_CATALOG[kind];
  if (!def) throw new Error(`unknown step kind ${kind}`);
  return def as unknown as StepDefinition<unknown>;
}

/** Whether a run of this kind executes the step: live runs all, rehearsals the safe ones, preflights one. */
export function stepApplies(kind: RunKind, def: StepDefinition<unknown>): boolean {
  if (kind === "live") return true;
  if (kind === "preflight") return def.kind === "preflight";
  return def.inRehearsal;
}
