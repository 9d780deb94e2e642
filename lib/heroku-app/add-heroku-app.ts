import { inTransaction, type Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";
import { emitAudit } from "@/lib/audit/emit";
import { conflict } from "@/lib/errors";
import { storeSecret } from "@/lib/security/secret-store";
import { validate } from "@/lib/validate";
import { AddHerokuAppInput } from "./schema";

/** Connects a Heroku app; its API token is sealed at once and never returned. */
export async function addHerokuApp({ ctx, input }: { ctx: Ctx; input: AddHerokuAppInput }) {
  authorize(ctx, "heroku_app.manage");
  const data = validate(AddHerokuAppInput, input);
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.herokuApp.findUnique({
      where: { apiBaseUrl_name: { apiBaseUrl: data.apiBaseUrl, name: data.name } },
    });
    if (existing) throw conflict(`the Heroku app ${data.name} at ${data.apiBaseUrl} is already connected`);
    const apiTokenSecretId = await storeSecret(tx, ctx.secretKey, "heroku.api_token", data.apiToken);
    const app = await tx.herokuApp.create({
      data: { name: data.name, apiBaseUrl: data.apiBaseUrl, apiTokenSecretId },
      select: { id: true, name: true, apiBaseUrl: true, createdAt: true },
    });
    await emitAudit(tx, {
      actor: ctx.actor,
      action: "heroku_app.create",
      entityType: "heroku_app",
      entityId: app.id,
      after: { name: app.name, apiBaseUrl: app.apiBaseUrl },
      secrets: [data.apiToken],
      at: ctx.now(),
    });
    return app;
  });
}
