import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { dropDatabase, ensureDatabase } from "@/lib/pg/admin";
import { systemActor, type Actor, type Ctx } from "@/lib/context";
import { parseSecretKey, generateSecretKeyText } from "@/lib/security/secret-key";

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  /** The secret key as processes read it from SWITCHYARD_SECRET_KEY. */
  secretKeyText: string;
  ctx(actor?: Actor): Ctx;
}

/** A fresh clone of the migrated template for this test file, dropped after it. */
export function useTestDatabase(): TestDatabase {
  const adminUrl = inject("pgAdminUrl");
  const name = `switchyard_test_${randomBytes(5).toString("hex")}`;
  const secretKeyText = generateSecretKeyText();
  const secretKey = parseSecretKey(secretKeyText);
  const handle = { name, secretKeyText } as TestDatabase;
  beforeAll(async () => {
    handle.url = await ensureDatabase(adminUrl, name, inject("pgTemplateDb"));
    handle.db = createDb(handle.url, { max: 5 });
    handle.ctx = (actor = systemActor("test")) => ({ db: handle.db, actor, now: () => new Date(), secretKey });
  });
  afterAll(async () => {
    await handle.db?.$disconnect();
    await dropDatabase(adminUrl, name);
  });
  return handle;
}

/** A fresh empty database (not cloned from the template), for migration tests. */
export function useEmptyDatabase(): { url: string; name: string } {
  const adminUrl = inject("pgAdminUrl");
  const handle = { name: `switchyard_empty_${randomBytes(5).toString("hex")}`, url: "" };
  beforeAll(async () => {
    handle.url = await ensureDatabase(adminUrl, handle.name);
  });
  afterAll(() => dropDatabase(adminUrl, handle.name));
  return handle;
}
