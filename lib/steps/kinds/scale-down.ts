import { z } from "zod";
import { defineStepKind } from "../types";

export const scaleDownKind = defineStepKind({
  kind: "platform.scale_down",
  title: "Scale down",
  params: z.object({}).passthrough(),
  does: () => "Remember the formation and scale every non-web process type to 0.",
  rollback: { kind: "undo", says: "Scale the process types back to the formation remembered before the cutover" },
  undoes: () => "Scale the process types back to the formation remembered before the cutover",
  touchesApp: true,
  runsIn: ["live"],
  estimateMs: () => 3_000,
  cancel: "finishes_first",
});
