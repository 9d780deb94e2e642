import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { dropDatabase } from "@/lib/pg/admin";
import { withClient } from "@/lib/pg/connect";
import { withDatabase } from "@/lib/pg/url";
import { installPlatformExtensions } from "@/sandbox/dataset/extensions";
import { HEROKU_DEFAULT_CREDENTIAL, ownedDatabase, RDS_MASTER_USER } from "@/sandbox/platform-roles";

export interface PlatformDatabase {
  /** As the owner role: what the app (or RDS master user) connects with. */
  url: string;
  /** As the server's superuser, for checks and setup the platform does. */
  adminUrl: string;
  name: string;
  role: string;
  password: string;
}

/** A database owned as Heroku hands one out: the app's role, no superuser; the platform's extensions made. */
export const useHerokuDatabase = () => usePlatformDatabase("heroku", HEROKU_DEFAULT_CREDENTIAL);
/** A database owned by an RDS-like master user (CREATEDB CREATEROLE, no superuser). */
export const useRdsDatabase = () => usePlatformDatabase("rds", RDS_MASTER_USER);

// The password has every character a passfile or URL must escape.
function usePlatformDatabase(kind: "heroku" | "rds", attributes: string): PlatformDatabase {
  const serverAdmin = inject("pgAdminUrl");
  const id = randomBytes(4).toString("hex");
  const handle: PlatformDatabase = { name: `switchyard_${kind}_${id}`, role: `sy_${kind}_${id}`, password: `Pa:ss\\w@rd/${id}'"`, url: "", adminUrl: "" };
  beforeAll(async () => {
    handle.url = await ownedDatabase(serverAdmin, { role: handle.role, attributes, password: handle.password, database: handle.name });
    handle.adminUrl = withDatabase(serverAdmin, handle.name);
    if (kind === "heroku") await installPlatformExtensions(handle.adminUrl);
  });
  // Hooks after run last-registered first: the database goes, then the role that owned it.
  afterAll(() => withClient(serverAdmin, (c) => c.query(`DROP ROLE IF EXISTS ${handle.role}`)));
  afterAll(() => dropDatabase(serverAdmin, handle.name));
  return handle;
}
