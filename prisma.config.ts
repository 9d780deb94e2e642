// For Prisma's own CLI on a connected machine (`prisma migrate deploy`, `prisma studio`).
// Switchyard applies migrations itself (lib/db/migrate.ts); both use prisma/migrations.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
