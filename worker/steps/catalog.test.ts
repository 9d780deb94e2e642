import { describe, expect, it } from "vitest";
import { UNDO_TEXT } from "@/lib/run/rollback-actions";
import { APP_TOUCHING_STEP_KEYS } from "@/lib/run/touched-app";
import { defaultPlanSteps } from "@/lib/cutover/default-plan";
import { STEP_CATALOG } from "./catalog";

// lib/ cannot import the worker's catalog, so its twins of catalog facts are checked here.
describe("the step catalog and its twins in lib/", () => {
  it("the rollback confirmation describes the undo of every kind the worker can undo", () => {
    const undoable = Object.values(STEP_CATALOG).filter((d) => d.rollback && d.kind !== "heroku.maintenance").map((d) => d.kind);
    expect(Object.keys(UNDO_TEXT).sort()).toEqual(undoable.sort());
  });

  it("touched-app keys are exactly the default plan's steps that touch the app", () => {
    const touching = defaultPlanSteps().filter((s) => STEP_CATALOG[s.kind]!.touchesApp || s.kind.startsWith("postgres.")).map((s) => s.key);
    expect([...APP_TOUCHING_STEP_KEYS].sort()).toEqual(touching.sort());
  });
});
