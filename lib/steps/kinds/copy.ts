import { z } from "zod";
import { defineStepKind } from "../types";

export const copyKind = defineStepKind({
  kind: "database.copy",
  title: "Copy",
  params: z.object({
    parallelism: z.union([z.literal("auto"), z.number().int().min(1).max(64)]).default("auto").meta({
      title: "Parallelism",
      description: "How many tables are copied at once, and how many jobs build the indexes and constraints: auto (the plan's copy jobs, else the worker's CPU count, at least 2) or 1 to 64",
    }),
  }),
  does: () => "Copy schema and data to the target with parallel streams, then build indexes and constraints.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (the source is only read)",
  touchesApp: false,
  runsIn: ["live", "rehearsal"],
  estimateMs: (_params, facts) => Math.round(facts.copyMs),
  cancel: "interruptible",
});
