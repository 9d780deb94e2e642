/** Every action the audit trail knows, as "entity.verb". Adding one here is the only way to emit it. */
export const AUDIT_ACTIONS = [
  "user.create",
  "user.update",
  "heroku_app.create",
  "heroku_app.update",
  "cutover.create",
  "cutover.update",
  "cutover.archive",
  "cutover.transition",
  "cutover.preflight",
  "signoff.approve",
  "signoff.reject",
  "run.create",
  "run.transition",
  "run.cancel_request",
  "run.rollback_request",
  "step.transition",
  "step.decide",
  "heroku.request",
  "command.exec",
  "smoke.check",
  "secret.create",
  "api_token.create",
  "api_token.revoke",
  "calendar_feed.create",
  "secret.rotate",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
