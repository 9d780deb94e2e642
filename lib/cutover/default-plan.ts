/** One step of a plan as stored in PlanStep; `kind` names an entry of the worker's step catalog. */
export interface PlanStepSpec {
  key: string;
  kind: string;
  params: Record<string, unknown>;
  rollback: { kind: string; params: Record<string, unknown> } | null;
  description: string;
}

/**
 * The default Heroku Postgres → external Postgres plan. Unlike the classic runbook it switches
 * DATABASE_URL before maintenance goes off, and it stops worker dynos, so no write is left behind.
 */
export function defaultPlanSteps(): PlanStepSpec[] {
  return [
    step("preflight", "preflight", "Read the app, its config and attachments; check the target, tool versions and emptiness; estimate the copy; record the smoke baseline."),
    step("gate", "gate", "Wait until the window has opened and the required sign-offs for this exact plan are present."),
    step("maintenance_on", "heroku.maintenance", "Turn maintenance mode on.", { on: true }, { kind: "heroku.maintenance", params: { on: false } }),
    step("scale_down", "heroku.scale_down", "Remember the formation and scale every non-web process type to 0.", {}, { kind: "heroku.restore_formation", params: {} }),
    step("write_freeze", "postgres.write_freeze", "Prove the source takes no more writes: no write transactions or row changes over a few seconds."),
    step("copy", "postgres.copy", "Copy schema and data to the target with parallel streams, then build indexes and constraints.", { parallelism: "auto" }),
    step("verify", "postgres.verify", "Compare exact row counts, sequence values and object counts on both sides."),
    step("switch", "heroku.switch", "Attach the source add-on under a rollback alias, detach DATABASE by id, set DATABASE_URL to the target and read it back.", { alias: "SWITCHYARD_ROLLBACK_DB" }, { kind: "heroku.promote_source", params: {} }),
    step("restore_formation", "heroku.restore_formation", "Scale process types back to the remembered formation."),
    step("maintenance_off", "heroku.maintenance", "Turn maintenance mode off.", { on: false }),
    step("smoke", "smoke", "Check every smoke URL against its expectations and the baseline."),
  ];
}

function step(
  key: string,
  kind: string,
  description: string,
  params: Record<string, unknown> = {},
  rollback: PlanStepSpec["rollback"] = null,
): PlanStepSpec {
  return { key, kind, params, rollback, description };
}
