import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { childProcessEnv } from "@/lib/child-env";

function run(script: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", script], {
    env: childProcessEnv({ PATH: process.env.PATH, HOME: process.env.HOME, SWITCHYARD_HOME: ".switchyard/test/cli", ...env }),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("start-up configuration errors", () => {
  it("npm run dev: a malformed DATABASE_URL gives one line naming it, with the password masked", () => {
    const { code, stderr } = run("scripts/dev.ts", { DATABASE_URL: "mysql://admin:s3cret-pass@db.example.com/app" });
    expect(code).toBe(1);
    expect(stderr.split("\n").filter((l) => !l.startsWith("[dev]"))).toEqual([
      'dev: DATABASE_URL must start with postgres:// or postgresql://, not mysql:// (got "mysql://admin:****@db.example.com/app")',
    ]);
    expect(stderr).not.toContain("s3cret-pass");
  });

  it("npm run dev: a URL without a database says what to add", () => {
    const { code, stderr } = run("scripts/dev.ts", { DATABASE_URL: "postgres://u:p@localhost:5432" });
    expect(code).toBe(1);
    expect(stderr).toContain("dev: DATABASE_URL must name a database");
  });

  it("npm run dev: a bad port names the variable", () => {
    const { code, stderr } = run("scripts/dev.ts", { PORT: "http" });
    expect(code).toBe(1);
    expect(stderr).toContain("dev: PORT must be a port number between 1 and 65535");
  });

  it("worker: a missing DATABASE_URL is named", () => {
    const { code, stderr } = run("worker/main.ts", { SWITCHYARD_SECRET_KEY: KEY });
    expect(code).toBe(1);
    expect(stderr).toBe("worker: DATABASE_URL is required but not set");
  });

  it("worker: a malformed secret key says how to make one", () => {
    const { code, stderr } = run("worker/main.ts", { DATABASE_URL: "postgres://u:p@localhost:5432/db", SWITCHYARD_SECRET_KEY: "short" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^worker: SWITCHYARD_SECRET_KEY must be 32 bytes in base64/);
  });

  it("db:migrate: a malformed DATABASE_URL is named", () => {
    const { code, stderr } = run("scripts/migrate.ts", { DATABASE_URL: "not a url" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^dev: DATABASE_URL must be a URL like postgresql:\/\/user:password@localhost:5432\/switchyard/);
  });
});
