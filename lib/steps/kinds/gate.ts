import { z } from "zod";
import { defineStepKind } from "../types";

export const gateKind = defineStepKind({
  kind: "check.gate",
  title: "Gate",
  params: z.object({}).passthrough(),
  does: () => "Wait until the window has opened and the required sign-offs for this exact plan are present.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (only checks)",
  touchesApp: false,
  runsIn: ["live"],
  estimateMs: () => 1_000,
  cancel: "interruptible",
});
