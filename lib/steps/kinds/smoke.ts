import { z } from "zod";
import { defineStepKind } from "../types";

export const smokeKind = defineStepKind({
  kind: "check.smoke",
  title: "Smoke checks",
  params: z.object({}).passthrough(),
  does: () => "Check every smoke URL against its expectations and the baseline.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (only reads)",
  touchesApp: false,
  runsIn: ["live"],
  estimateMs: () => 5_000,
  cancel: "interruptible",
});
