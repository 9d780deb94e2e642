import { manualKind } from "@/lib/steps/kinds/manual";
import { defineExecutor } from "../types";
import { awaitDecision } from "./await-decision";

/** Pauses the run until a person with the named role marks the task done, skipped or failed. */
export const manualStep = defineExecutor(manualKind, {
  // The task's own time limit is in its params; this only bounds a wait nobody ends.
  timeoutMs: 8 * 24 * 3600_000,
  retry: { attempts: 1, backoffMs: 0 },
  // Waiting again after a crash is safe: a decision belongs to an attempt, so a new attempt asks anew.
  idempotent: true,
  run: (ctx, params) => awaitDecision(ctx, manualKind.awaitsPerson!(params)),
});
