import { z } from "zod";
import { defineStepKind } from "../types";

export const maintenanceKind = defineStepKind({
  kind: "platform.maintenance",
  title: "Maintenance mode",
  params: z.object({ on: z.boolean() }),
  does: ({ on }) => (on ? "Turn maintenance mode on." : "Turn maintenance mode off."),
  rollback: { kind: "frame" },
  undoes: ({ on }) => (on ? "Maintenance stays on during the rollback and goes off at its end" : "The rollback turns maintenance on again first"),
  touchesApp: true,
  runsIn: ["live"],
  estimateMs: () => 2_000,
  // Half a maintenance toggle is not a state: the request waits for the platform's answer.
  cancel: "finishes_first",
  fixedInCore: ["on"],
});
