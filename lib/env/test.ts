import { z } from "zod";
import { parseEnv } from "./parse";
import { port, postgresUrl } from "./fields";

const TestEnv = z.object({
  /** A server where tests may CREATE DATABASE; without it an embedded server is started. */
  TEST_DATABASE_URL: postgresUrl.optional(),
  SWITCHYARD_TEST_PG_PORT: port.default(26439),
  SWITCHYARD_HOME: z.string().min(1).default(".switchyard"),
});
export type TestEnv = z.infer<typeof TestEnv>;

/** Configuration of the test suites. */
export function testEnv(source: Record<string, string | undefined> = process.env): TestEnv {
  return parseEnv("test", TestEnv, source);
}
