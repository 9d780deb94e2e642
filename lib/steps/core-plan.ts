import { copyKind } from "./kinds/copy";
import { gateKind } from "./kinds/gate";
import { maintenanceKind } from "./kinds/maintenance";
import { preflightKind } from "./kinds/preflight";
import { restoreFormationKind } from "./kinds/restore-formation";
import { scaleDownKind } from "./kinds/scale-down";
import { smokeKind } from "./kinds/smoke";
import { switchKind } from "./kinds/switch";
import { verifyKind } from "./kinds/verify";
import { writeFreezeKind } from "./kinds/write-freeze";
import type { PlanStepSpec } from "./plan-step";
import type { StepKindSpec } from "./types";

/** The keys of the core steps: fixed, so later steps and other runs can find their outputs. */
export const CORE_KEYS = {
  preflight: "preflight",
  gate: "gate",
  maintenanceOn: "maintenance_on",
  scaleDown: "scale_down",
  writeFreeze: "write_freeze",
  copy: "copy",
  verify: "verify",
  switch: "switch",
  restoreFormation: "restore_formation",
  maintenanceOff: "maintenance_off",
  smoke: "smoke",
} as const;
export type CoreKey = (typeof CORE_KEYS)[keyof typeof CORE_KEYS];

/**
 * The safe core of every plan, in its order. Unlike the classic runbook it switches DATABASE_URL
 * before maintenance goes off, and it stops worker dynos, so no write is left behind.
 */
const CORE: ReadonlyArray<[CoreKey, StepKindSpec<never>, Record<string, unknown>]> = [
  [CORE_KEYS.preflight, preflightKind, {}],
  [CORE_KEYS.gate, gateKind, {}],
  [CORE_KEYS.maintenanceOn, maintenanceKind, { on: true }],
  [CORE_KEYS.scaleDown, scaleDownKind, {}],
  [CORE_KEYS.writeFreeze, writeFreezeKind, {}],
  [CORE_KEYS.copy, copyKind, { parallelism: "auto" }],
  [CORE_KEYS.verify, verifyKind, {}],
  [CORE_KEYS.switch, switchKind, { alias: "SWITCHYARD_ROLLBACK_DB" }],
  [CORE_KEYS.restoreFormation, restoreFormationKind, {}],
  [CORE_KEYS.maintenanceOff, maintenanceKind, { on: false }],
  [CORE_KEYS.smoke, smokeKind, {}],
] as unknown as ReadonlyArray<[CoreKey, StepKindSpec<never>, Record<string, unknown>]>;

/** The plan a new cutover starts with: the core, each step described by its kind. */
export function defaultPlanSteps(): PlanStepSpec[] {
  return CORE.map(([key, spec, raw]) => {
    const params = spec.params.parse(raw) as Record<string, unknown>;
    return { key, kind: spec.kind, params, description: (spec as StepKindSpec<unknown>).does(params) };
  });
}

/** The core steps' keys in their order; the plan editor keeps them all, in this order. */
export const CORE_ORDER: readonly CoreKey[] = CORE.map(([key]) => key);

/** The kind and fixed params of each core step (the params a plan may not change, e.g. maintenance's `on`). */
export function coreStep(key: string): { kind: string; params: Record<string, unknown> } | null {
  const entry = CORE.find(([k]) => k === key);
  return entry ? { kind: entry[1].kind, params: entry[2] } : null;
}

/** The kinds the core uses: a plan has them only as its core steps. */
export const CORE_KINDS: ReadonlySet<string> = new Set(CORE.map(([, spec]) => spec.kind));

/** Why each core step must come after the one before it, keyed by the later one: the plan editor's refusal. */
export const WHY_AFTER_PREVIOUS: Record<Exclude<CoreKey, "preflight">, string> = {
  gate: "every later step relies on what preflight found out about the app and both databases",
  maintenance_on: "nothing may change the app before the window is open and the sign-offs for this plan are in",
  scale_down: "customers must see the maintenance page before the app's processes change",
  write_freeze: "worker dynos keep writing until they are scaled to 0, so the freeze would be broken by them",
  copy: "a write made during the copy would be left behind on the source",
  verify: "verify compares the finished copy with the source",
  switch: "the app must not be pointed at a target that has not been proven equal to the source",
  restore_formation: "workers started before the switch would write to the database being left behind",
  maintenance_off: "customers must come back to the new database, after the app's processes are back on it",
  smoke: "smoke checks go through the router, which serves the maintenance page until it is off",
};

/** The keys of the steps a rollback adds around the undo of each started step (`undo_<key>`). */
export const ROLLBACK_KEYS = {
  maintenanceOn: "rollback_maintenance_on",
  maintenanceOff: "rollback_maintenance_off",
  smoke: "rollback_smoke",
  undo: (key: string) => `undo_${key}`,
  /** The forward step an undo action's key names, or null for any other key. */
  undoneBy: (key: string) => (key.startsWith("undo_") ? key.slice("undo_".length) : null),
} as const;
