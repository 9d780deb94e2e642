// `npm test`: every suite (vitest's unit, integration and sandbox projects, then Playwright's
// end-to-end specs in Debian's chromium), then one summary line: "tests: N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

// The runners' own entry scripts, run with this Node (their exports maps hide them from require).
const bin = (file: string) => path.resolve("node_modules", file);
const OUT = "test-results";
mkdirSync(OUT, { recursive: true });

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  exitCode: number;
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync(process.execPath, args, { stdio: "inherit", env }).status ?? 1;
}

function vitest(): Counts {
  const file = `${OUT}/vitest.json`;
  rmSync(file, { force: true });
  const exitCode = run([bin("vitest/vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`]);
  const report = readJson(file);
  return {
    passed: report?.numPassedTests ?? 0,
    failed: report ? report.numFailedTests : 1,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
    exitCode,
  };
}

function playwright(): Counts {
  const file = `${OUT}/playwright.json`;
  rmSync(file, { force: true });
  const cli = bin("@playwright/test/cli.js");
  const exitCode = run([cli, "test", "--reporter=list,json"], { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: file });
  const stats = readJson(file)?.stats;
  return {
    passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0),
    failed: stats ? stats.unexpected : 1,
    skipped: stats?.skipped ?? 0,
    exitCode,
  };
}

function readJson(file: string) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const results = [vitest(), playwright()];
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
const failedRun = results.some((r) => r.exitCode !== 0);
const failed = total.failed || (failedRun ? 1 : 0);
console.log(`\ntests: ${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
process.exit(failed || failedRun ? 1 : 0);
