import { discoverSource } from "@/lib/heroku";
import type { SourceFacts } from "../types";
import type { HerokuBinding } from "./binding";

/** The DATABASE attachment, its add-on and DATABASE_URL; discovery's errors say what the app lacks. */
export async function readSource({ client, app }: HerokuBinding): Promise<SourceFacts> {
  const source = await discoverSource(client, app);
  return {
    appId: source.app.id,
    addonId: source.addon.id,
    addonName: source.addon.name,
    addonPlan: source.addon.plan,
    databaseAttachmentId: source.databaseAttachment.id,
    attachmentNames: source.attachmentsOfAddon.map((a) => a.name),
    databaseUrl: source.databaseUrl,
  };
}
