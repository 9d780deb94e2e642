import { z } from "zod";
import { defineStepKind } from "../types";
import { requiredText } from "./text";

const TITLE = "Approval inside the run";

export const approvalKind = defineStepKind({
  kind: "person.approval",
  title: TITLE,
  params: z.object({
    question: requiredText("what the approver decides", 2_000).meta({ title: "Question", description: "Markdown, e.g. \"The smoke results look right: may maintenance go off?\"" }),
    timeoutMinutes: z.number().int().min(1, "must be at least 1 minute").max(10_080, "must be at most a week (10,080 minutes)").optional().meta({ title: "Time limit (minutes)", description: "The step fails when nobody decided within this time; empty waits" }),
  }),
  does: () => "Pause until an approver other than the run's operator approves.",
  rollback: { kind: "none" },
  undoes: () => "Nothing to undo (only asks)",
  touchesApp: false,
  runsIn: ["live"],
  estimateMs: () => 120_000,
  cancel: "interruptible",
  awaitsPerson: ({ question, timeoutMinutes }) => ({
    title: TITLE,
    decisions: [
      { id: "approved", label: "Approve", needsReason: false, fails: false },
      { id: "rejected", label: "Reject", needsReason: true, fails: true },
    ],
    role: "approver",
    notTheOperator: true,
    instructions: question,
    timeoutMinutes: timeoutMinutes ?? null,
  }),
  placement: { after: "gate", why: "the plan's own sign-offs are checked at the gate; an approval inside the run comes after it" },
});
