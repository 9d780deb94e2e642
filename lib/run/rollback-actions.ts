import type { PlanStepSpec } from "@/lib/cutover/default-plan";

/**
 * What undoing each step kind does, in words. The worker's rollback plan (worker/engine/rollback-plan.ts)
 * undoes exactly the catalog kinds that have a rollback; a test checks this list names each of them.
 */
export const UNDO_TEXT: Record<string, string> = {
  "heroku.switch": "Promote the source database back to DATABASE (as `heroku pg:promote` does), set DATABASE_URL to it and wait until every dyno runs on it",
  "postgres.write_freeze": "Make the source database writable again",
  "heroku.scale_down": "Scale the process types back to the formation remembered before the cutover",
};

const started = (status: string) => status !== "pending" && status !== "skipped";

/** The rollback of a run, step by step in plain words, in the order the worker will do them. */
export function rollbackActions(steps: PlanStepSpec[], forward: Array<{ stepKey: string; status: string; output: unknown }>): string[] {
  const wasStarted = (key: string) => forward.some((s) => s.stepKey === key && started(s.status));
  const undo = [...steps]
    .reverse()
    .filter((s) => s.kind !== "heroku.maintenance" && UNDO_TEXT[s.kind] && wasStarted(s.key))
    .map((s) => UNDO_TEXT[s.kind]!);
  const maintenanceWasOn = forward.some((s) => s.stepKey === "maintenance_on" && s.status === "succeeded" && (s.output as { wasOn?: boolean } | null)?.wasOn === true);
  return [
    "Turn maintenance mode on (customers see the maintenance page)",
    ...undo,
    ...(maintenanceWasOn ? ["Leave maintenance mode on, as it was before the cutover"] : ["Turn maintenance mode off"]),
    "Check every smoke URL again and compare with the baseline",
  ];
}
