// Seeding: create an app with config, formation and Postgres add-ons in one go, as a test or a
// rehearsal needs it. Idempotent by app name; an existing app is left untouched.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { newFormation } from "./formation";
import { addRelease } from "./releases";
import { type AddonRecord, type AppRecord, type EmulatorState, findAddon, findApp, now } from "./state";

export const DEFAULT_PLAN = "heroku-postgresql:standard-0";

export const SeedApp = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,29}$/, "app names are lowercase letters, digits and dashes"),
  config: z.record(z.string(), z.string()).optional(),
  formation: z.array(z.object({
    type: z.string().min(1),
    quantity: z.number().int().min(0),
    size: z.string().optional(),
  })).optional(),
  addons: z.array(z.object({
    name: z.string().min(1),
    plan: z.string().optional(),
    url: z.string().min(1),
    attachAs: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)),
  })).optional(),
});
export type SeedApp = z.infer<typeof SeedApp>;

const DEFAULT_FORMATION: NonNullable<SeedApp["formation"]> = [{ type: "web", quantity: 1 }, { type: "worker", quantity: 1 }];

function createApp(name: string, config: Record<string, string>): AppRecord {
  const at = now();
  return { id: randomUUID(), name, maintenance: false, createdAt: at, updatedAt: at, config, formation: [], releases: [] };
}

/** An add-on seeded under a name that already exists is shared, not duplicated. */
function ensureAddon(state: EmulatorState, app: AppRecord, seed: NonNullable<SeedApp["addons"]>[number]): AddonRecord {
  const existing = findAddon(state, seed.name);
  if (existing) return existing;
  const at = now();
  const addon: AddonRecord = {
    id: randomUUID(), name: seed.name, appId: app.id, plan: seed.plan ?? DEFAULT_PLAN, url: seed.url,
    state: "provisioned", createdAt: at, updatedAt: at,
  };
  state.addons.push(addon);
  return addon;
}

export function seedApp(state: EmulatorState, seed: SeedApp): AppRecord {
  const existing = findApp(state, seed.name);
  if (existing) return existing;
  const app = createApp(seed.name, { ...seed.config });
  app.formation = (seed.formation ?? DEFAULT_FORMATION).map((f) => newFormation(f.type, f.quantity, f.size));
  state.apps.push(app);
  for (const addonSeed of seed.addons ?? []) {
    const addon = ensureAddon(state, app, addonSeed);
    for (const name of addonSeed.attachAs) {
      const at = now();
      state.attachments.push({ id: randomUUID(), name, appId: app.id, addonId: addon.id, namespace: null, createdAt: at, updatedAt: at });
    }
  }
  // The initial release has no release phase to wait for.
  addRelease(app, "Initial release").release.status = "succeeded";
  return app;
}
