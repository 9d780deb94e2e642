import { stepKind } from "@/lib/steps/catalog";
import { copyStep } from "./db/copy-step";
import { sqlStep } from "./db/sql-step";
import { verifyStep } from "./db/verify-step";
import { writeFreezeStep } from "./db/write-freeze-step";
import { gateStep } from "./gate";
import { approvalStep } from "./person/approval-step";
import { manualStep } from "./person/manual-step";
import { commandStep } from "./platform/command-step";
import { restoreFormationStep, scaleDownStep } from "./platform/formation";
import { maintenanceStep } from "./platform/maintenance";
import { switchStep } from "./platform/switch";
import { preflightStep } from "./preflight";
import { smokeStep } from "./smoke/smoke-step";
import type { StepExecutor } from "./types";

/** The executors, one per kind of lib/steps/catalog.ts (a test checks the two lists agree). */
export const EXECUTORS: readonly StepExecutor<never>[] = [
  preflightStep,
  gateStep,
  maintenanceStep,
  scaleDownStep,
  writeFreezeStep,
  copyStep,
  verifyStep,
  switchStep,
  restoreFormationStep,
  smokeStep,
  sqlStep,
  commandStep,
  manualStep,
  approvalStep,
] as unknown as StepExecutor<never>[];

const BY_KIND = new Map(EXECUTORS.map((e) => [e.spec.kind, e as unknown as StepExecutor<unknown>]));

/** The executor of a kind; a kind the catalog knows but this worker cannot run is an error. */
export function executorFor(kind: string): StepExecutor<unknown> {
  const executor = BY_KIND.get(kind);
  if (!executor) throw new Error(stepKind(kind) ? `this worker has no executor for step kind ${kind}; deploy the worker that has it` : `unknown step kind ${kind}`);
  return executor;
}
