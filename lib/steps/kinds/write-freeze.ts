import { z } from "zod";
import { defineStepKind } from "../types";

// The proof itself, plus reading activity and setting the source read-only.
const OVERHEAD_MS = 2_000;

export const writeFreezeKind = defineStepKind({
  kind: "database.write_freeze",
  title: "Write freeze",
  params: z.object({ observeMs: z.number().int().min(1000).max(60_000).default(3_000) }),
  does: () => "Prove the source takes no more writes: no write transactions or row changes over a few seconds.",
  rollback: { kind: "undo", says: "Make the source database writable again" },
  undoes: () => "Make the source database writable again",
  touchesApp: true,
  runsIn: ["live"],
  estimateMs: ({ observeMs }) => observeMs + OVERHEAD_MS,
  cancel: "interruptible",
});
