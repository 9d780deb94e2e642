import { describe, expect, it } from "vitest";
import { defaultPlanSteps } from "./core-plan";
import { planStepProblems } from "./plan-rules";

const plan = () => defaultPlanSteps();
const move = <T>(list: T[], from: number, to: number) => {
  const copy = [...list];
  copy.splice(to, 0, ...copy.splice(from, 1));
  return copy;
};
const keyIndex = (key: string) => plan().findIndex((s) => s.key === key);

describe("runbook rules", () => {
  it("the default plan has no problem", () => {
    expect(planStepProblems(plan())).toEqual([]);
  });

  it("refuses the copy before the write freeze, saying why", () => {
    const steps = move(plan(), keyIndex("copy"), keyIndex("write_freeze"));
    expect(planStepProblems(steps)).toEqual([{ path: `steps.${keyIndex("write_freeze")}`, message: "copy must come after write_freeze: a write made during the copy would be left behind on the source" }]);
  });

  it("refuses maintenance off before the switch", () => {
    const steps = move(plan(), keyIndex("maintenance_off"), keyIndex("switch"));
    expect(planStepProblems(steps)).toEqual([
      { path: `steps.${keyIndex("switch")}`, message: "maintenance_off must come after restore_formation: customers must come back to the new database, after the app's processes are back on it" },
    ]);
  });

  it("refuses a missing core step, a changed core kind, a fixed param and a second copy", () => {
    const steps = plan().filter((s) => s.key !== "verify");
    expect(planStepProblems(steps)).toEqual([{ path: "steps", message: "must keep every core step; missing: verify" }]);
    const off = plan().map((s) => (s.key === "maintenance_off" ? { ...s, params: { on: true } } : s));
    expect(planStepProblems(off)).toEqual([{ path: `steps.${keyIndex("maintenance_off")}.params.on`, message: "must stay false: maintenance_off is a core step" }]);
    const extra = [...plan(), { key: "copy_again", kind: plan()[keyIndex("copy")]!.kind, params: {}, description: "" }];
    expect(planStepProblems(extra)[0]).toMatchObject({ path: `steps.${extra.length - 1}.kind`, message: expect.stringContaining("appears there only once") });
  });

  it("checks keys and params per the catalog, with paths", () => {
    const steps = plan();
    steps[keyIndex("write_freeze")] = { ...steps[keyIndex("write_freeze")]!, params: { observeMs: 5 } };
    steps.push({ key: "Bad Key", kind: "nope", params: {}, description: "" }, { key: "undo_x", kind: "nope", params: {}, description: "" }, { key: "gate", kind: "check.gate", params: {}, description: "" });
    const problems = planStepProblems(steps);
    expect(problems.map((p) => p.path)).toEqual([`steps.${keyIndex("write_freeze")}.params.observeMs`, "steps.11.key", "steps.12.key", "steps.13.key"]);
    expect(problems[3]!.message).toContain("used by an earlier step");
  });

  it("lets the operator set a core step's own params", () => {
    const steps = plan().map((s) => (s.key === "copy" ? { ...s, params: { parallelism: 8 } } : s));
    expect(planStepProblems(steps)).toEqual([]);
  });
});
