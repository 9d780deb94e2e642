import path from "node:path";
import type { TestProject } from "vitest/node";
import { testEnv } from "@/lib/env/test";
import { migrate } from "@/lib/db/migrate";
import { dropDatabase, ensureDatabase } from "@/lib/pg/admin";
import { ensureCertificates } from "@/lib/pg/certificates";
import { startEmbeddedServer, type EmbeddedServer } from "@/lib/pg/embedded-server";

export const TEMPLATE_DB = "switchyard_test_template";
const TEST_PASSWORD = "switchyard-test-only";
// TLS only, like Heroku Postgres and RDS: every test connection negotiates TLS as libpq would.
const TLS_ONLY_HBA = "hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n";

/** One PostgreSQL for the whole run: a template database migrated once, cloned by each file. */
export async function setup(project: TestProject) {
  const env = testEnv();
  let stop = async () => undefined as unknown;
  let adminUrl = env.TEST_DATABASE_URL;
  if (!adminUrl) {
    // Each project that uses this setup gets its own server, so one project's template is never
    // dropped while another clones it (integration and faults run in the same vitest process).
    const own = project.name === "faults";
    const home = path.resolve(env.SWITCHYARD_HOME, own ? "test-faults" : "test");
    const tls = await ensureCertificates(path.join(home, "tls"), { hosts: ["127.0.0.1", "localhost"], name: "Switchyard tests" });
    const server: EmbeddedServer = await startEmbeddedServer({
      tls: { certPem: tls.certPem, keyPem: tls.keyPem },
      hba: TLS_ONLY_HBA,
      dataDir: path.join(home, "pg"),
      port: env.SWITCHYARD_TEST_PG_PORT + (own ? 1 : 0),
      password: TEST_PASSWORD,
      fast: true,
      logFile: path.join(home, "pg.log"),
    });
    adminUrl = server.adminUrl;
    stop = () => server.stop();
  }
  await dropDatabase(adminUrl, TEMPLATE_DB);
  const templateUrl = await ensureDatabase(adminUrl, TEMPLATE_DB);
  await migrate(templateUrl);
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplateDb", TEMPLATE_DB);
  // Returned rather than exported: each project stops the server it started.
  return async () => {
    await stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDb: string;
  }
}
