import { describe, expect, it } from "vitest";
import { getCutover } from "@/lib/cutover/get-cutover";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { signOff } from "@/lib/signoff/sign-off";
import { createUser } from "@/lib/user/create-user";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { makeCutover } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();

describe("editing a plan", () => {
  it("changes the plan hash, so earlier sign-offs stop counting; an edit that changes nothing keeps it", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const approver = await createUser({ ctx: t.ctx(), input: { email: "ap@example.com", name: "Ap", role: "approver" } });
    const asApprover = t.ctx({ type: "user", id: approver.id, email: approver.email, role: "approver" });
    await signOff({ ctx: asApprover, input: { cutoverId: cutover.id, planHash: cutover.planHash, decision: "approve" } });

    const same = await updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, name: "renamed" } });
    expect(same.planHash).toBe(cutover.planHash);
    expect(same.version).toBe(2);

    const moved = await updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 2, windowStartsAt: "2026-12-01T22:00:00Z", windowEndsAt: "2026-12-01T23:00:00Z", timeZone: "Europe/Berlin" } });
    expect(moved.planHash).not.toBe(cutover.planHash);
    const detail = await getCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(detail.signOffs.map((s) => s.current)).toEqual([false]);
    await expect(signOff({ ctx: asApprover, input: { cutoverId: cutover.id, planHash: cutover.planHash, decision: "approve" } })).rejects.toThrow(/the plan changed since you opened it/);
  });

  it("refuses a stale version and a window that ends before it starts, with field-level messages", async () => {
    const { cutover } = await makeCutover(t.ctx());
    await expect(updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 7, name: "x" } })).rejects.toThrow(/the plan changed since you opened it \(now version 1\)/);
    await expect(
      updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, windowStartsAt: "2026-12-01T23:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" } }),
    ).rejects.toMatchObject({ code: "invalid_input", fields: [{ path: "windowEndsAt", message: "must be after the window start" }] });
    await expect(updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, timeZone: "Mars/Olympus" } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ path: "timeZone", message: "must be an IANA time zone such as Europe/Berlin" }],
    });
    await expect(updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, targetDatabaseUrl: "postgres://u@h/db" } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ path: "targetDatabaseUrl", message: "must include a password, as in postgres://user:PASSWORD@host:5432/db" }],
    });
  });

  it("shows the target only masked", async () => {
    const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: "postgres://rds:s3cret-value@db.example.com:5432/app" });
    const detail = await getCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(detail.target).toBe("postgres://rds:****@db.example.com:5432/app");
    expect(JSON.stringify(detail)).not.toContain("s3cret-value");
  });

  it("replaces the runbook: a core step's params change the hash; a reorder that breaks the core is refused with the reason, and nothing changes", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const steps = defaultPlanSteps().map((s) => ({ key: s.key, kind: s.kind, params: s.params }));
    const copyAt = steps.findIndex((s) => s.key === "copy");
    const broken = [...steps];
    broken.splice(copyAt - 1, 2, steps[copyAt]!, steps[copyAt - 1]!);
    await expect(updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, steps: broken } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ path: `steps.${copyAt - 1}`, message: "copy must come after write_freeze: a write made during the copy would be left behind on the source" }],
    });
    const unchanged = await getCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(unchanged.version).toBe(1);

    const tuned = steps.map((s) => (s.key === "copy" ? { ...s, params: { parallelism: 3 } } : s));
    const saved = await updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, steps: tuned } });
    expect(saved.planHash).not.toBe(cutover.planHash);
    const detail = await getCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(detail.steps.map((s) => s.key)).toEqual(steps.map((s) => s.key));
    expect(detail.steps.find((s) => s.key === "copy")).toMatchObject({ params: { parallelism: 3 }, title: "Copy", undoes: "Nothing to undo (the source is only read)" });
    expect(detail.steps.find((s) => s.key === "switch")!.undoes).toMatch(/^Promote the source database back to DATABASE/);
  });
});
