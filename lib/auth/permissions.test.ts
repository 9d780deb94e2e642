import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/context";
import { DomainError } from "@/lib/errors";
import {
  PERMISSIONS,
  PERMISSION_INFO,
  ROLES,
  authorize,
  can,
  permissionLabel,
  permissionsOf,
  rolesWith,
  type Permission,
} from "./permissions";

type Role = (typeof ROLES)[number];

// The table written out by hand, independently of permissions.ts: Y = allowed.
//                      viewer approver operator admin
type Cell = "Y" | "-";
const TABLE: Record<string, [Cell, Cell, Cell, Cell]> = {
  "cutover.read": /*    */ ["Y", "Y", "Y", "Y"],
  "cutover.create": /*  */ ["-", "-", "Y", "Y"],
  "cutover.edit": /*    */ ["-", "-", "Y", "Y"],
  "run.start": /*       */ ["-", "-", "Y", "Y"],
  "run.rollback": /*    */ ["-", "-", "Y", "Y"],
  "run.cancel": /*      */ ["-", "-", "Y", "Y"],
  "signoff.decide": /*  */ ["-", "Y", "-", "Y"],
  "heroku_app.manage": /**/ ["-", "-", "-", "Y"],
  "user.manage": /*     */ ["-", "-", "-", "Y"],
  "audit.read": /*      */ ["Y", "Y", "Y", "Y"],
};
const COLUMNS: Role[] = ["viewer", "approver", "operator", "admin"];

const userOf = (role: Role): Actor => ({ type: "user", id: "00000000-0000-4000-8000-000000000001", email: `${role}@example.com`, role });
const system = (name: Extract<Actor, { type: "system" }>["name"]): Actor => ({ type: "system", name });

function thrown(fn: () => void): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

const cases = Object.entries(TABLE).flatMap(([permission, row]) =>
  COLUMNS.map((role, i) => ({ permission: permission as Permission, role, allowed: row[i] === "Y" })),
);

describe("the role table", () => {
  it("lists exactly the permissions of the hand-written table, and the four roles", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(TABLE).sort());
    expect([...ROLES].sort()).toEqual([...COLUMNS].sort());
  });

  it.each(cases)("$role → $permission: allowed=$allowed", ({ permission, role, allowed }) => {
    expect(can(userOf(role), permission)).toBe(allowed);
    expect(permissionsOf(role).includes(permission)).toBe(allowed);
    expect(rolesWith(permission).includes(role)).toBe(allowed);
    if (allowed) expect(() => authorize({ actor: userOf(role) }, permission)).not.toThrow();
    else expect(thrown(() => authorize({ actor: userOf(role) }, permission)).code).toBe("forbidden");
  });

  it("permissionsOf returns, per role, exactly the table's row (the other direction)", () => {
    for (const [i, role] of COLUMNS.entries()) {
      const expected = Object.entries(TABLE).filter(([, row]) => row[i] === "Y").map(([p]) => p);
      expect([...permissionsOf(role)].sort()).toEqual(expected.sort());
    }
  });

  it("gives admin every permission and viewer only the read ones", () => {
    expect(permissionsOf("admin")).toEqual([...PERMISSIONS]);
    expect(permissionsOf("viewer")).toEqual(["cutover.read", "audit.read"]);
    expect(permissionsOf("approver")).toEqual(["cutover.read", "signoff.decide", "audit.read"]);
  });

  it("returns a copy the caller cannot use to grant itself more", () => {
    permissionsOf("viewer").push("user.manage");
    expect(can(userOf("viewer"), "user.manage")).toBe(false);
    expect(permissionsOf("viewer")).toEqual(["cutover.read", "audit.read"]);
  });

  it("treats an unknown role (e.g. from a newer database) as having no permission", () => {
    const stranger = { type: "user", id: "x", email: "x@example.com", role: "superuser" } as unknown as Actor;
    for (const p of PERMISSIONS) expect(can(stranger, p)).toBe(false);
    expect(permissionsOf("superuser" as Role)).toEqual([]);
    expect(thrown(() => authorize({ actor: stranger }, "cutover.read")).code).toBe("forbidden");
  });
});

describe("labels", () => {
  it("has a UI label and a message phrase for every permission", () => {
    for (const p of PERMISSIONS) {
      expect(permissionLabel(p)).toMatch(/^[A-Z]/);
      expect(PERMISSION_INFO[p].action).toMatch(/^[a-z]/);
    }
    expect(permissionLabel("run.start")).toBe("Start runs (preflight, rehearsal, live)");
  });
});

describe("forbidden messages", () => {
  const message = (role: Role, p: Permission) => thrown(() => authorize({ actor: userOf(role) }, p)).message;

  it("say what the role cannot do and who can", () => {
    expect(message("viewer", "run.start")).toBe("your role (viewer) cannot start runs; an operator or admin can");
    expect(message("approver", "run.rollback")).toBe("your role (approver) cannot roll back runs; an operator or admin can");
    expect(message("viewer", "run.cancel")).toBe("your role (viewer) cannot cancel runs; an operator or admin can");
    expect(message("operator", "signoff.decide")).toBe("your role (operator) cannot approve or reject plans; an approver or admin can");
    expect(message("operator", "heroku_app.manage")).toBe("your role (operator) cannot manage Heroku apps; an admin can");
    expect(message("approver", "user.manage")).toBe("your role (approver) cannot manage users; an admin can");
    expect(message("viewer", "cutover.create")).toBe("your role (viewer) cannot create cutovers; an operator or admin can");
    expect(message("approver", "cutover.edit")).toBe("your role (approver) cannot edit cutover plans; an operator or admin can");
  });

  it("name the role and the permission's phrase for every forbidden pair", () => {
    for (const { permission, role, allowed } of cases) {
      if (allowed) continue;
      const text = message(role, permission);
      expect(text).toContain(`your role (${role}) cannot ${PERMISSION_INFO[permission].action}; `);
      expect(text).toMatch(/ admin can$/);
    }
  });

  it("has no fields (it is not a validation error)", () => {
    expect(thrown(() => authorize({ actor: userOf("viewer") }, "run.start")).fields).toEqual([]);
  });
});

describe("system actors", () => {
  it.each(["worker", "seed", "dev", "cli", "test"] as const)("%s is trusted with every permission", (name) => {
    for (const p of PERMISSIONS) {
      expect(can(system(name), p)).toBe(true);
      expect(() => authorize({ actor: system(name) }, p)).not.toThrow();
    }
  });

  it("web (a request without a signed-in user) may do nothing and is told to sign in", () => {
    for (const p of PERMISSIONS) {
      expect(can(system("web"), p)).toBe(false);
      const err = thrown(() => authorize({ actor: system("web") }, p));
      expect(err.code).toBe("unauthorized");
      expect(err.message).toBe("sign in first");
    }
  });

  it("an unknown process name is not trusted", () => {
    const ghost = { type: "system", name: "cron" } as unknown as Actor;
    expect(can(ghost, "cutover.read")).toBe(false);
    expect(thrown(() => authorize({ actor: ghost }, "cutover.read")).code).toBe("forbidden");
  });
});
