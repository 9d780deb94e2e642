// Generates the Prisma client when the schema changed since the last generation.
// Prisma 7's CLI wants to download its schema engine even for `generate`, which never runs it,
// so PRISMA_SCHEMA_ENGINE_BINARY points at a file that exists (this Node binary) when unset.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const schema = readFileSync("prisma/schema.prisma");
const stamp = "lib/generated/prisma/.schema-sha256";
const hash = createHash("sha256").update(schema).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) process.exit(0);

const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
execFileSync(process.execPath, [prismaCli, "generate"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
writeFileSync(stamp, hash);
