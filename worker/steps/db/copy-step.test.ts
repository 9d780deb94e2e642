import os from "node:os";
import { describe, expect, it } from "vitest";
import { defaultPlanSteps } from "@/lib/cutover/default-plan";
import { CopyParams } from "./copy-step";
import { defaultCopyJobs } from "../postgres/copy";

describe("the copy step's jobs", () => {
  it("is a whole number from 1 to 32, left out by the default plan for one lane per core of the worker", () => {
    const copy = defaultPlanSteps().find((s) => s.kind === "postgres.copy")!;
    expect(CopyParams.parse(copy.params)).toEqual({});
    expect(defaultCopyJobs()).toBe(Math.min(32, os.availableParallelism()));
    expect(CopyParams.parse({ jobs: 8 })).toEqual({ jobs: 8 });
    for (const bad of [0, 33, 2.5, "4"]) {
      expect(() => CopyParams.parse({ jobs: bad })).toThrow(/jobs must be a whole number from 1 to 32/);
    }
  });

  it("reads plans signed before jobs existed", () => {
    expect(CopyParams.parse({ parallelism: "auto" })).toEqual({});
    expect(CopyParams.parse({ parallelism: 6 })).toEqual({ jobs: 6 });
    expect(CopyParams.parse({ parallelism: 64 })).toEqual({ jobs: 32 });
  });
});
