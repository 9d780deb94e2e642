import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { DomainError, notFound } from "@/lib/errors";
import { createHerokuClient, discoverSource, HerokuApiError, HerokuNetworkError, HerokuResponseError } from "@/lib/heroku";
import { readSecret } from "@/lib/security/secret-store";
import { validate } from "@/lib/validate";

export const DiscoverAppSourceInput = z.object({ herokuAppId: z.string().uuid("must be the id of a connected Heroku app") });

/**
 * What the app's DATABASE points at on Heroku right now, for the plan form to confirm: the
 * add-on, its plan and its attachment names. Never the database URL.
 */
export async function discoverAppSource({ ctx, input }: { ctx: Ctx; input: z.input<typeof DiscoverAppSourceInput> }) {
  authorize(ctx, "cutover.read");
  const { herokuAppId } = validate(DiscoverAppSourceInput, input);
  const app = await ctx.db.herokuApp.findUnique({ where: { id: herokuAppId } });
  if (!app) throw notFound("Heroku app");
  const token = await readSecret(ctx.db, ctx.secretKey, app.apiTokenSecretId);
  // A form is waiting: fail within seconds rather than retrying for a minute.
  const client = createHerokuClient({ baseUrl: app.apiBaseUrl, token, maxAttempts: 2, timeoutMs: 10_000 });
  const source = await discoverSource(client, app.name).catch((err: unknown) => {
    // Heroku's answer (id and message, never the token) is what the person needs to fix it.
    if (err instanceof HerokuApiError || err instanceof HerokuNetworkError || err instanceof HerokuResponseError) {
      throw new DomainError("precondition_failed", err.message);
    }
    throw err;
  });
  return {
    app: { name: source.app.name, maintenance: source.app.maintenance },
    addon: { name: source.addon.name, plan: source.addon.plan },
    attachment: source.databaseAttachment.name,
    otherAttachments: source.attachmentsOfAddon.map((a) => a.name).filter((n) => n !== source.databaseAttachment.name),
  };
}
