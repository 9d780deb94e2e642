import { z } from "zod";
import { defineStepKind } from "../types";

export const restoreFormationKind = defineStepKind({
  kind: "platform.restore_formation",
  title: "Restore formation",
  params: z.object({}).passthrough(),
  does: () => "Scale process types back to the remembered formation.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (the rollback restores the formation itself)",
  touchesApp: true,
  runsIn: ["live"],
  estimateMs: () => 3_000,
  cancel: "finishes_first",
});
