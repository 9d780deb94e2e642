import { describe, expect, it } from "vitest";
import { defaultPlanSteps } from "./core-plan";
import { paramFields, paramValue } from "./param-fields";
import { addStep, moveStep, optionalKinds, removeStep, type StepDraft } from "./runbook-edit";
import { sqlKind } from "./kinds/sql";
import { copyKind } from "./kinds/copy";
import { maintenanceKind } from "./kinds/maintenance";
import { manualKind } from "./kinds/manual";

const core = (): StepDraft[] => defaultPlanSteps().map(({ key, kind, params }) => ({ key, kind, params }));
const keys = (steps: StepDraft[] | undefined) => steps?.map((s) => s.key);

describe("editing a runbook", () => {
  it("offers only the kinds that are not core", () => {
    const kinds = optionalKinds().map((k) => k.kind);
    expect(kinds).toContain(sqlKind.kind);
    expect(kinds).not.toContain(copyKind.kind);
  });

  it("adds a step right after where its kind may start, with a fresh key, after optional steps already there", () => {
    const first = addStep(core(), sqlKind.kind);
    expect(keys(first.steps)?.slice(6, 9)).toEqual(["verify", "sql", "switch"]);
    const second = addStep(first.steps!, sqlKind.kind);
    expect(keys(second.steps)?.slice(6, 10)).toEqual(["verify", "sql", "sql_2", "switch"]);
    expect(second.index).toBe(8);
  });

  it("refuses a move that breaks the core, with the reason", () => {
    const steps = core();
    const copyAt = steps.findIndex((s) => s.key === "copy");
    expect(moveStep(steps, copyAt, -1)).toEqual({ refused: "Cannot move copy up: copy must come after write_freeze: a write made during the copy would be left behind on the source" });
    const withSql = addStep(steps, sqlKind.kind).steps!;
    const sqlAt = withSql.findIndex((s) => s.key === "sql");
    expect(moveStep(withSql, sqlAt, -1).refused).toMatch(/sql must come after verify: verify compares/);
    expect(keys(moveStep(withSql, sqlAt, 1).steps)?.slice(7, 9)).toEqual(["switch", "sql"]);
    expect(moveStep(steps, 0, -1).refused).toBe("preflight is already first");
  });

  it("removes optional steps only", () => {
    const withSql = addStep(core(), sqlKind.kind).steps!;
    expect(removeStep(withSql, withSql.findIndex((s) => s.key === "sql")).steps).toEqual(core());
    expect(removeStep(withSql, 0).refused).toBe("preflight is a core step: every plan keeps it");
  });
});

describe("param fields from a kind's schema", () => {
  it("gives long text a text area and booleans a checkbox, with the schema's titles", () => {
    expect(paramFields(sqlKind.kind).map((f) => [f.name, f.input])).toEqual([["sql", "textarea"], ["runTwice", "checkbox"]]);
  });

  it("offers an enum as a select of its values", () => {
    expect(paramFields(manualKind.kind).find((f) => f.name === "role")).toMatchObject({ input: "select", options: ["viewer", "approver", "operator", "admin"] });
  });

  it("marks a core step's fixed params", () => {
    expect(paramFields(maintenanceKind.kind, "maintenance_on")).toEqual([expect.objectContaining({ name: "on", fixed: true })]);
  });

  it("turns digits into numbers and an empty field into the default", () => {
    const [parallelism] = paramFields(copyKind.kind, "copy");
    expect(paramValue(parallelism!, "4")).toBe(4);
    expect(paramValue(parallelism!, "auto")).toBe("auto");
    expect(paramValue(parallelism!, " ")).toBeUndefined();
  });
});
