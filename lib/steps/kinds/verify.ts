import { z } from "zod";
import { defineStepKind } from "../types";

// Exact row counts read every table on both sides: a fraction of the copy, which also writes.
const SHARE_OF_COPY = 0.15;

export const verifyKind = defineStepKind({
  kind: "database.verify",
  title: "Verify",
  params: z.object({}).passthrough(),
  does: () => "Compare exact row counts, sequence values and object counts on both sides.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (only reads)",
  touchesApp: false,
  runsIn: ["live", "rehearsal"],
  estimateMs: (_params, facts) => Math.round(facts.copyMs * SHARE_OF_COPY),
  cancel: "interruptible",
});
