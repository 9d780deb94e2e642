import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STEP_KINDS } from "./catalog";
import { CORE_KEYS, ROLLBACK_KEYS } from "./core-plan";

// The step catalog (lib/steps/) is the single source of every kind's facts and the core steps'
// keys: code elsewhere imports them instead of spelling a kind or a step key out by hand.
const ROOT = path.resolve(__dirname, "../..");
const SOURCE_DIRS = ["app", "lib", "worker", "scripts", "sandbox"];

function productSources(): string[] {
  const files = SOURCE_DIRS.filter((d) => existsSync(path.join(ROOT, d))).flatMap((dir) =>
    (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).map((f) => path.join(dir, f).split(path.sep).join("/")),
  );
  return files.filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith("lib/generated/") && !f.startsWith("lib/steps/"));
}

const quoted = (names: string[]) => new RegExp(`["'\`](${names.map((n) => n.replace(/[.]/g, "\\.")).join("|")})["'\`]`);
// Names of the catalog before it moved here; a leftover would name a kind no plan has any more.
const FORMER_KINDS = ["heroku.maintenance", "heroku.scale_down", "heroku.restore_formation", "heroku.switch", "heroku.promote_source", "postgres.write_freeze", "postgres.copy", "postgres.verify"];
const KIND_LITERAL = quoted([...STEP_KINDS.map((s) => s.kind), ...FORMER_KINDS]);
// Keys that are no ordinary word are refused anywhere; those that are ("copy", "smoke") where a step key is expected.
const allKeys = [...Object.values(CORE_KEYS), ROLLBACK_KEYS.maintenanceOn, ROLLBACK_KEYS.maintenanceOff, ROLLBACK_KEYS.smoke];
const DISTINCT_KEY_LITERAL = quoted(allKeys.filter((k) => k.includes("_")));
const WORD_KEYS = allKeys.filter((k) => !k.includes("_")).join("|");
const KEY_IN_STEP_CONTEXT = new RegExp(`(stepKey\\s*(:|===|!==)\\s*|\\bkey\\s*(===|!==)\\s*|outputOf(<[^>]*>)?\\(\\s*ctx\\s*,\\s*|outputs\\.|outputs\\[\\s*)["'\`]?(${WORD_KEYS})\\b`);

describe("the step catalog is the single source", () => {
  it("no file outside lib/steps spells out a step kind or a core step key", () => {
    const offenders = productSources().flatMap((file) => {
      const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
      return lines.flatMap((line, i) => (KIND_LITERAL.test(line) || DISTINCT_KEY_LITERAL.test(line) || KEY_IN_STEP_CONTEXT.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
    });
    expect(offenders, "import the kind's spec (lib/steps/kinds/*) or CORE_KEYS / ROLLBACK_KEYS (lib/steps/core-plan.ts)").toEqual([]);
  });

  it("kinds are unique and namespaced (area.name)", () => {
    const kinds = STEP_KINDS.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const spec of STEP_KINDS) expect(spec.kind).toMatch(/^[a-z]+\.[a-z_]+$/);
  });
});
