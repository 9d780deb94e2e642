import { describe, expect, it } from "vitest";
import { STEP_KINDS } from "@/lib/steps/catalog";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { EXECUTORS, executorFor } from "./catalog";

// lib/steps holds what each kind is; the worker adds how to run it. The two lists must agree.
describe("the worker's executors and the step catalog", () => {
  it("every kind of the catalog has exactly one executor, and no executor is for a kind the catalog lacks", () => {
    expect(EXECUTORS.map((e) => e.spec.kind).sort()).toEqual(STEP_KINDS.map((s) => s.kind).sort());
    for (const spec of STEP_KINDS) expect(executorFor(spec.kind).spec).toBe(spec);
  });

  it("an executor can undo exactly the kinds whose rollback role is undo", () => {
    for (const e of EXECUTORS) expect({ kind: e.spec.kind, undo: Boolean(e.rollback) }).toEqual({ kind: e.spec.kind, undo: e.spec.rollback.kind === "undo" });
  });

  it("a non-idempotent executor says how to restart after a crash", () => {
    for (const e of EXECUTORS.filter((x) => !x.idempotent)) expect(e.resume, e.spec.kind).toBeTypeOf("function");
  });

  it("the default plan's params parse with each kind's schema", () => {
    for (const step of defaultPlanSteps()) expect(() => executorFor(step.kind).spec.params.parse(step.params), step.key).not.toThrow();
  });
});
