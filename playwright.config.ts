import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";

// Debian's chromium, never a downloaded browser; CHROMIUM_PATH overrides where it lives.
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium was not found on PATH: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH");
  }
}

// E2E_PORT_OFFSET lets two e2e runs share a machine (every port and the home move together).
const OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);
const port = (base: number) => String(base + OFFSET);
const PORT = 3100 + OFFSET;
const HOME = OFFSET ? `.switchyard/e2e-${OFFSET}` : ".switchyard/e2e";

export default defineConfig({
  testDir: "e2e",
  outputDir: OFFSET ? `test-results/e2e-${OFFSET}` : "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    },
  },
  // The warm-up compiles every page and route first (see e2e/warm-up.setup.ts).
  projects: [
    { name: "warm-up", testMatch: /warm-up\.setup\.ts$/, use: { browserName: "chromium" } },
    { name: "chromium", dependencies: ["warm-up"], use: { browserName: "chromium" } },
  ],
  // The whole product as `npm run dev` runs it, in its own home and ports, from a clean slate.
  webServer: {
    command: `rm -rf ${HOME} && node --import tsx scripts/dev.ts`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGINT", timeout: 30_000 },
    env: {
      SWITCHYARD_HOME: HOME,
      PORT: String(PORT),
      WORKER_WS_PORT: port(3101),
      SANDBOX_PORT: port(5200),
      SANDBOX_ROUTER_PORT: port(5201),
      SWITCHYARD_DB_PORT: port(26449),
      SANDBOX_SOURCE_PG_PORT: port(26451),
      SANDBOX_TARGET_PG_PORT: port(26452),
    },
  },
});
