// Platform API add-on endpoints: lookups, the add-on resolver and addons:destroy.
import { z } from "zod";
import { destroyAddon } from "./attachments";
import type { EmulatorContext } from "./context";
import { addonNotFound } from "./errors";
import { type Route, header, json, parseBody, route } from "./http";
import { paginate } from "./pagination";
import { resolveAddons } from "./resolve";
import { addonJson, attachmentJson, expansionOf, inclusionOf } from "./serialize";
import { type AddonRecord, type AppRecord, type EmulatorState, requireAddon, requireApp } from "./state";

const ResolveAddonBody = z.object({ addon: z.string().min(1), app: z.string().nullish(), addon_service: z.string().nullish() });
const DestroyBody = z.object({ force: z.boolean().optional() });

const byId = { id: (x: { id: string }) => x.id, name: (x: { name: string }) => x.name };

/** Add-ons billed to the app or attached to it. */
function addonsOfApp(state: EmulatorState, app: AppRecord): AddonRecord[] {
  const attached = new Set(state.attachments.filter((a) => a.appId === app.id).map((a) => a.addonId));
  return state.addons.filter((a) => a.appId === app.id || attached.has(a.id));
}

function requireAppAddon(state: EmulatorState, app: AppRecord, idOrName: string): AddonRecord {
  const found = addonsOfApp(state, app).find((a) => a.id === idOrName || a.name === idOrName);
  if (!found) throw addonNotFound();
  return found;
}

export function addonRoutes(ctx: EmulatorContext): Route[] {
  const state = () => ctx.state();
  return [
    route("GET", "/addons/:addon", (req) => json(200, addonJson(state(), requireAddon(state(), req.params.addon), expansionOf(req)))),
    route("GET", "/addons/:addon/addon-attachments", (req) => {
      const addon = requireAddon(state(), req.params.addon);
      const list = state().attachments.filter((a) => a.addonId === addon.id);
      return paginate(list, header(req.headers, "range"), byId, "id", (a) => attachmentJson(state(), a, inclusionOf(req)));
    }),
    route("GET", "/apps/:app/addons", (req) => {
      const list = addonsOfApp(state(), requireApp(state(), req.params.app));
      return paginate(list, header(req.headers, "range"), byId, "id", (a) => addonJson(state(), a, expansionOf(req)));
    }),
    route("GET", "/apps/:app/addons/:addon", (req) => {
      const addon = requireAppAddon(state(), requireApp(state(), req.params.app), req.params.addon);
      return json(200, addonJson(state(), addon, expansionOf(req)));
    }),
    route("DELETE", "/apps/:app/addons/:addon", async (req) => {
      parseBody(DestroyBody, req.body);
      const app = requireApp(state(), req.params.app);
      const addon = requireAppAddon(state(), app, req.params.addon);
      if (addon.appId !== app.id) throw addonNotFound();
      await ctx.announce(destroyAddon(state(), addon));
      return json(200, { ...addonJson(state(), addon, expansionOf(req)), state: "deprovisioned" });
    }),
    route("POST", "/actions/addons/resolve", (req) => {
      const body = parseBody(ResolveAddonBody, req.body);
      const found = resolveAddons(state(), body.addon, body.app);
      return json(200, found.map((a) => addonJson(state(), a, expansionOf(req))));
    }),
  ];
}
