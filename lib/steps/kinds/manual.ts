import { z } from "zod";
import { defineStepKind } from "../types";
import { requiredText } from "./text";

const ROLE = z.enum(["viewer", "approver", "operator", "admin"]);

export const manualKind = defineStepKind({
  kind: "person.manual",
  title: "Manual task",
  params: z.object({
    title: requiredText("what the task is, in a few words", 200).meta({ title: "Task", description: "A few words, e.g. \"Point CloudFront at the new origin\"" }),
    instructions: requiredText("what to do, step by step", 20_000).meta({ title: "Instructions", description: "Markdown; shown to everyone watching the run" }),
    role: ROLE.default("operator").meta({ title: "Who marks it", description: "The role a person must hold to mark it done, skipped or failed (an admin always may)" }),
    timeoutMinutes: z.number().int().min(1, "must be at least 1 minute").max(10_080, "must be at most a week (10,080 minutes)").optional().meta({ title: "Time limit (minutes)", description: "The step fails when nobody marked it within this time; empty waits" }),
    expectedMinutes: z.number().int().min(0).max(10_080).default(5).meta({ title: "Expected minutes", description: "For the downtime estimate when the task is inside maintenance" }),
  }),
  does: ({ title }) => `Pause for a person: ${title}.`,
  rollback: { kind: "none" },
  undoes: () => "Nothing is undone automatically: a manual task that needs undoing needs its own manual task",
  // A person may change anything, including the app.
  touchesApp: true,
  runsIn: ["live"],
  estimateMs: ({ expectedMinutes }) => expectedMinutes * 60_000,
  cancel: "interruptible",
  awaitsPerson: ({ title, instructions, role, timeoutMinutes }) => ({
    title,
    decisions: [
      { id: "done", label: "Mark done", needsReason: false, fails: false },
      { id: "skipped", label: "Skip", needsReason: true, fails: false },
      { id: "failed", label: "Mark failed", needsReason: true, fails: true },
    ],
    role,
    notTheOperator: false,
    instructions,
    timeoutMinutes: timeoutMinutes ?? null,
  }),
  placement: { after: "gate", why: "a run asks people for work only once the window is open and the plan is signed off" },
});
