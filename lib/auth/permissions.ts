// Role-based authorization: what each role may do, checked at the top of every use case.
// Pure data and functions (no database, no framework), so the UI can import it to hide buttons.

import type { Actor, Ctx } from "@/lib/context";
import { DomainError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";

/** Every permission a use case can ask for. */
export const PERMISSIONS = [
  "cutover.read",
  "cutover.create",
  "cutover.edit",
  "run.start",
  "run.rollback",
  "run.cancel",
  "signoff.decide",
  "heroku_app.manage",
  "user.manage",
  "audit.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Roles from least to most privileged; messages list the roles that can, in this order. */
export const ROLES = ["viewer", "approver", "operator", "admin"] as const satisfies readonly Role[];

/** What a permission lets you do: `label` for the UI, `action` completes "cannot …" / "can …". */
export const PERMISSION_INFO: Record<Permission, { label: string; action: string }> = {
  "cutover.read": { label: "View cutovers, runs and logs", action: "view cutovers" },
  "cutover.create": { label: "Create cutovers", action: "create cutovers" },
  "cutover.edit": { label: "Edit cutover plans", action: "edit cutover plans" },
  "run.start": { label: "Start runs (preflight, rehearsal, live)", action: "start runs" },
  "run.rollback": { label: "Roll back runs", action: "roll back runs" },
  "run.cancel": { label: "Cancel runs", action: "cancel runs" },
  "signoff.decide": { label: "Approve or reject plans", action: "approve or reject plans" },
  "heroku_app.manage": { label: "Connect and manage Heroku apps", action: "manage Heroku apps" },
  "user.manage": { label: "Manage users and roles", action: "manage users" },
  "audit.read": { label: "Read the audit trail", action: "read the audit trail" },
};

/** The UI label of a permission, e.g. "Start runs (preflight, rehearsal, live)". */
export function permissionLabel(permission: Permission): string {
  return PERMISSION_INFO[permission].label;
}

const READ: readonly Permission[] = ["cutover.read", "audit.read"];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(READ),
  approver: new Set([...READ, "signoff.decide"]),
  operator: new Set([...READ, "cutover.create", "cutover.edit", "run.start", "run.rollback", "run.cancel"]),
  admin: new Set(PERMISSIONS),
};

type SystemName = Extract<Actor, { type: "system" }>["name"];

/**
 * Switchyard's own processes act without a person. `web` is what a request without a signed-in
 * user acts as, so it may do nothing; adding a process name forces a decision here.
 */
const TRUSTED_SYSTEM: Record<SystemName, boolean> = {
  worker: true,
  seed: true,
  dev: true,
  cli: true,
  test: true,
  web: false,
};

/** The permissions a role holds, in PERMISSIONS order (for the UI: hide what the user cannot do). */
export function permissionsOf(role: Role): Permission[] {
  const held = ROLE_PERMISSIONS[role];
  return held ? PERMISSIONS.filter((p) => held.has(p)) : [];
}

/** The roles that hold a permission, least privileged first. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].has(permission));
}

/** Whether the actor may do it. Unknown roles and untrusted processes may do nothing. */
export function can(actor: Actor, permission: Permission): boolean {
  if (actor.type === "system") return TRUSTED_SYSTEM[actor.name] === true;
  return ROLE_PERMISSIONS[actor.role]?.has(permission) ?? false;
}

/**
 * Throws unless ctx.actor may do it: `unauthorized` (401) when nobody is signed in, `forbidden`
 * (403) with what the role cannot do and which roles can otherwise.
 */
export function authorize(ctx: Pick<Ctx, "actor">, permission: Permission): void {
  const { actor } = ctx;
  if (can(actor, permission)) return;
  const { action } = PERMISSION_INFO[permission];
  if (actor.type === "system") {
    if (actor.name === "web") throw new DomainError("unauthorized", "sign in first");
    throw new DomainError("forbidden", `the ${actor.name} process cannot ${action}`);
  }
  throw new DomainError("forbidden", `your role (${actor.role}) cannot ${action}; ${whoCan(permission)}`);
}

function whoCan(permission: Permission): string {
  const roles = rolesWith(permission);
  if (roles.length === 0) return "no role can";
  const article = /^[aeiou]/.test(roles[0]!) ? "an" : "a";
  const list = roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(", ")} or ${roles.at(-1)}`;
  return `${article} ${list} can`;
}
