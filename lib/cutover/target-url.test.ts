import { describe, expect, it } from "vitest";
import { targetUrlProblems } from "./target-url";

describe("target database URL", () => {
  it.each([
    ["not a url", "must be a URL"],
    ["mysql://u:p@h:3306/db", "must start with postgres:// or postgresql://"],
    ["postgres://h:5432/db", "must include a user name"],
    ["postgres://u@h:5432/db", "must include a password"],
    ["postgres://u:p@h:5432/", "must name one database"],
    ["postgres://u:p@h:5432/a/b", "must name one database"],
    [`postgres://u:p@h/${"x".repeat(3000)}`, "is too long"],
  ])("%s is refused: %s", (value, message) => {
    const problems = targetUrlProblems(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain(message);
  });

  it("accepts a complete URL", () => {
    expect(targetUrlProblems("postgresql://app:secret@rds.example.com:5432/app")).toEqual([]);
  });
});
