// Preflight: what the app's DATABASE_URL points at on Heroku today. The cutover needs the
// attachment named DATABASE, its add-on, that add-on's other attachments and the current URL.
import { DomainError } from "@/lib/errors";
import type { HerokuApi } from "./api";
import type { Attachment } from "./types";

export interface HerokuSource {
  app: { id: string; name: string; maintenance: boolean };
  databaseAttachment: { id: string; name: string; addon: { id: string; name: string } };
  addon: { id: string; name: string; plan: string };
  /** Every attachment of that add-on on this app, DATABASE included. */
  attachmentsOfAddon: Attachment[];
  /** A secret: seal or redact before storing or logging. */
  databaseUrl: string;
}

export type DiscoveryProblem = "no_database_attachment" | "database_url_is_plain_var" | "not_heroku_postgres" | "no_database_url";

/** The app is not in a state a cutover can start from; the message says why and what it means. */
export class SourceDiscoveryError extends DomainError {
  override name = "SourceDiscoveryError";
  constructor(readonly problem: DiscoveryProblem, message: string) {
    super("precondition_failed", message);
  }
}

const POSTGRES_SERVICE = "heroku-postgresql";

export async function discoverSource(client: HerokuApi, app: string): Promise<HerokuSource> {
  const [info, attachments, config] = await Promise.all([client.getApp(app), client.listAttachments(app), client.getConfigVars(app)]);
  const database = attachments.find((a) => a.name === "DATABASE");
  if (!database) {
    if (config.DATABASE_URL !== undefined) {
      throw new SourceDiscoveryError("database_url_is_plain_var",
        `The Heroku app ${app} has no add-on attached as DATABASE; its DATABASE_URL is a plain config var, so it already points away from Heroku Postgres (a finished cutover?). Nothing to cut over.`);
    }
    throw new SourceDiscoveryError("no_database_attachment",
      `The Heroku app ${app} has no add-on attached as DATABASE and no DATABASE_URL; attach its Heroku Postgres database as DATABASE first.`);
  }
  const addon = await client.getAddon(database.addon.id);
  if (addon.addon_service.name !== POSTGRES_SERVICE) {
    throw new SourceDiscoveryError("not_heroku_postgres",
      `DATABASE on the Heroku app ${app} is the add-on ${addon.name} of service ${addon.addon_service.name}, not ${POSTGRES_SERVICE}.`);
  }
  const databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    throw new SourceDiscoveryError("no_database_url",
      `The Heroku app ${app} has ${addon.name} attached as DATABASE but its config has no DATABASE_URL; Heroku may still be provisioning it.`);
  }
  return {
    app: { id: info.id, name: info.name, maintenance: info.maintenance },
    databaseAttachment: { id: database.id, name: database.name, addon: { id: addon.id, name: addon.name } },
    addon: { id: addon.id, name: addon.name, plan: addon.plan.name },
    attachmentsOfAddon: attachments.filter((a) => a.addon.id === addon.id),
    databaseUrl,
  };
}
