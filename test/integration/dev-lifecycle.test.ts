import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { childProcessEnv } from "@/lib/child-env";
import { describePid, descendants, isAlive } from "../support/process-tree";

// A private (0700) folder, like a root home or mktemp's: as root the databases run as "postgres".
const HOME = mkdtempSync(path.join(tmpdir(), "dev-lifecycle-"));
const PORT = 3200;

// `npm run dev` as a user runs it: wait for the banner, use it, press Ctrl-C, check nothing is left.
describe("npm run dev", () => {
  const lines: string[] = [];
  let dev: ReturnType<typeof spawn> | undefined;
  // On a failure midway, stop it as a user would, so no server outlives the test.
  afterAll(async () => {
    if (dev?.pid && isAlive(dev.pid)) await stop(dev.pid);
    rmSync(HOME, { recursive: true, force: true });
  }, 40_000);
  async function stop(pid: number) {
    const tree = descendants(pid);
    process.kill(pid, "SIGINT");
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    for (const p of [pid, ...tree]) if (isAlive(p)) process.kill(p, "SIGKILL");
  }

  it("starts everything, answers 200 with the worker ready, and Ctrl-C leaves no process behind", async () => {
    dev = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
      env: childProcessEnv({
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SWITCHYARD_HOME: HOME,
        PORT: String(PORT),
        WORKER_WS_PORT: "3201",
        SWITCHYARD_DB_PORT: "26459",
        SANDBOX_PORT: "5300",
        SANDBOX_ROUTER_PORT: "5301",
        SANDBOX_SOURCE_PG_PORT: "26461",
        SANDBOX_TARGET_PG_PORT: "26462",
        SANDBOX_SCALE_MB: "5",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [dev.stdout!, dev.stderr!]) readline.createInterface({ input: stream }).on("line", (l) => lines.push(l));
    const exited = new Promise<number | null>((resolve) => dev!.once("exit", (code) => resolve(code)));
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    await waitFor(() => lines.some((l) => l.includes("Switchyard is running")) || exitedEarly, 240_000, lines);
    expect(exitedEarly, `npm run dev exited before it was ready:\n${lines.slice(-30).join("\n")}`).toBe(false);

    expect(lines.some((l) => l.includes("worker ready"))).toBe(true);
    expect(lines.some((l) => l.includes("operator@switchyard.local"))).toBe(true);
    const page = await fetch(`http://127.0.0.1:${PORT}/`);
    expect(page.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${PORT}/api/cutovers`)).status).toBe(401);
    const origin = `http://127.0.0.1:${PORT}`;
    const signIn = await fetch(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email: "operator@switchyard.local", password: "switchyard-demo" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const list = await (await fetch(`${origin}/api/cutovers`, { headers: { cookie } })).json();
    expect(list.cutovers.map((c: { name: string }) => c.name)).toContain("Move switchyard-demo to the new Postgres");

    const tree = descendants(dev.pid!);
    expect(tree.length).toBeGreaterThan(3);
    process.kill(dev.pid!, "SIGINT");
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(tree.filter(isAlive).map(describePid), `still running after Ctrl-C:\n${lines.slice(-20).join("\n")}`).toEqual([]);
  }, 300_000);
});

async function waitFor(done: () => boolean, timeoutMs: number, lines: string[]) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out; last output:\n${lines.slice(-30).join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
