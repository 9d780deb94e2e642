import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root };

// Four projects: pure unit tests beside the code, integration tests against a real
// PostgreSQL (template database migrated once, cloned per file), the fault suite (real
// cutovers with faults injected), and sandbox tests that drive the Heroku emulator over HTTP.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "worker/**/*.test.ts", "sandbox/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          // The sandbox app and the tests' own HTTP servers listen on 127.0.0.1.
          env: { SMOKE_ALLOW_PRIVATE_URLS: "true" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // `npm run test:faults`: real cutovers against the sandbox with faults injected.
          name: "faults",
          include: ["test/faults/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          env: { SMOKE_ALLOW_PRIVATE_URLS: "true" },
          testTimeout: 600_000,
          hookTimeout: 180_000,
          // Each file runs a sandbox, workers and real cutovers: one file at a time, after the
          // other projects, so a 2-core machine is never starved into a missed heartbeat.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "sandbox",
          include: ["test/sandbox/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
