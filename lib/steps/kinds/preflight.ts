import { z } from "zod";
import { defineStepKind } from "../types";

export const preflightKind = defineStepKind({
  kind: "check.preflight",
  title: "Preflight",
  params: z.object({}).passthrough(),
  does: () => "Read the app, its config and attachments; check the target, tool versions and emptiness; estimate the copy; record the smoke baseline.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (only reads)",
  touchesApp: false,
  runsIn: ["live", "rehearsal", "preflight"],
  estimateMs: () => 5_000,
  cancel: "interruptible",
});
