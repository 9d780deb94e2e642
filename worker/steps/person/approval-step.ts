import { approvalKind } from "@/lib/steps/kinds/approval";
import { defineExecutor } from "../types";
import { awaitDecision } from "./await-decision";

/** Pauses the run until an approver other than its operator approves (or rejects, which fails it). */
export const approvalStep = defineExecutor(approvalKind, {
  timeoutMs: 8 * 24 * 3600_000,
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: true,
  run: (ctx, params) => awaitDecision(ctx, approvalKind.awaitsPerson!(params)),
});
