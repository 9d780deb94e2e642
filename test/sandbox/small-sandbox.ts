import { chmodSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/sandbox/dynos/dyno-process";
import { startSandbox, type RunningSandbox } from "@/sandbox/start";

/** The whole sandbox, small and quick to restart dynos, in a fresh home (for one-off dyno tests). */
export async function startSmallSandbox(name: string): Promise<RunningSandbox & { home: string }> {
  // mkdtemp makes a 0700 folder; PostgreSQL runs as its own user and must be able to enter it.
  const home = mkdtempSync(path.join(os.tmpdir(), `switchyard-${name}-`));
  chmodSync(home, 0o755);
  return { home, ...(await startSandbox({ home, emulatorPort: await freePort(), routerPort: await freePort(), sourcePgPort: await freePort(), targetPgPort: await freePort(), scaleMb: 1, restartMs: 200 })) };
}

/** Polls `check` every 100 ms until it holds. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}
