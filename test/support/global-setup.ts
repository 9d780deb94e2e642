import path from "node:path";
import type { TestProject } from "vitest/node";
import { testEnv } from "@/lib/env/test";
import { migrate } from "@/lib/db/migrate";
import { dropDatabase, ensureDatabase } from "@/lib/pg/admin";
import { startEmbeddedServer, type EmbeddedServer } from "@/lib/pg/embedded-server";

export const TEMPLATE_DB = "switchyard_test_template";
const TEST_PASSWORD = "switchyard-test-only";

let server: EmbeddedServer | undefined;

/** One PostgreSQL for the whole run: a template database migrated once, cloned by each file. */
export async function setup(project: TestProject) {
  const env = testEnv();
  let adminUrl = env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const home = path.resolve(env.SWITCHYARD_HOME, "test");
    server = await startEmbeddedServer({
      dataDir: path.join(home, "pg"),
      port: env.SWITCHYARD_TEST_PG_PORT,
      password: TEST_PASSWORD,
      fast: true,
      logFile: path.join(home, "pg.log"),
    });
    adminUrl = server.adminUrl;
  }
  await dropDatabase(adminUrl, TEMPLATE_DB);
  const templateUrl = await ensureDatabase(adminUrl, TEMPLATE_DB);
  await migrate(templateUrl);
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplateDb", TEMPLATE_DB);
}

export async function teardown() {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDb: string;
  }
}
