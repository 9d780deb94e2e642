import type { RunKind } from "@/lib/run/state-machine";
import { commandKind } from "./kinds/command";
import { approvalKind } from "./kinds/approval";
import { copyKind } from "./kinds/copy";
import { gateKind } from "./kinds/gate";
import { maintenanceKind } from "./kinds/maintenance";
import { manualKind } from "./kinds/manual";
import { preflightKind } from "./kinds/preflight";
import { restoreFormationKind } from "./kinds/restore-formation";
import { scaleDownKind } from "./kinds/scale-down";
import { smokeKind } from "./kinds/smoke";
import { sqlKind } from "./kinds/sql";
import { switchKind } from "./kinds/switch";
import { verifyKind } from "./kinds/verify";
import { writeFreezeKind } from "./kinds/write-freeze";
import type { StepKindSpec } from "./types";

/** Every step kind there is. A plan step whose kind is not here is refused. */
export const STEP_KINDS: readonly StepKindSpec<never>[] = [
  preflightKind,
  gateKind,
  maintenanceKind,
  scaleDownKind,
  writeFreezeKind,
  copyKind,
  verifyKind,
  switchKind,
  restoreFormationKind,
  smokeKind,
  sqlKind,
  commandKind,
  manualKind,
  approvalKind,
] as unknown as StepKindSpec<never>[];

const BY_KIND = new Map(STEP_KINDS.map((s) => [s.kind, s as unknown as StepKindSpec<unknown>]));

export function isStepKind(kind: string): boolean {
  return BY_KIND.has(kind);
}

export function stepKind(kind: string): StepKindSpec<unknown> {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`unknown step kind ${kind}`);
  return spec;
}

/** Whether a run of this kind executes a step of this kind (the others are recorded as skipped). */
export function stepApplies(runKind: RunKind, kind: string): boolean {
  return stepKind(kind).runsIn.includes(runKind);
}

/** The params as the step will see them (defaults filled in), or the spec's own error. */
export function parseStepParams(kind: string, params: unknown): unknown {
  return stepKind(kind).params.parse(params);
}
