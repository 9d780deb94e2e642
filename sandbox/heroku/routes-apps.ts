// Platform API app endpoints: the app (maintenance), config vars and releases.
import { z } from "zod";
import { patchConfigVars } from "./config-vars";
import type { EmulatorContext } from "./context";
import { notFound } from "./errors";
import { type Route, header, json, parseBody, route } from "./http";
import { paginate } from "./pagination";
import { findRelease } from "./releases";
import { appJson, releaseJson } from "./serialize";
import { type AppRecord, type ReleaseRecord, effectiveConfig, now, requireApp } from "./state";

const AppPatch = z.object({ maintenance: z.boolean().optional() });

const ConfigPatch = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "config var names are letters, digits and underscores"),
  z.string().nullable(),
);

const appFields = { id: (a: AppRecord) => a.id, name: (a: AppRecord) => a.name };
const releaseFields = { version: (r: ReleaseRecord) => r.version, id: (r: ReleaseRecord) => r.id };

export function appRoutes(ctx: EmulatorContext): Route[] {
  const state = () => ctx.state();
  return [
    route("GET", "/apps", (req) => paginate(state().apps, header(req.headers, "range"), appFields, "id", appJson)),
    route("GET", "/apps/:app", (req) => json(200, appJson(requireApp(state(), req.params.app)))),
    // Maintenance is not a release and restarts nothing.
    route("PATCH", "/apps/:app", (req) => {
      const body = parseBody(AppPatch, req.body);
      const app = requireApp(state(), req.params.app);
      if (body.maintenance !== undefined) {
        app.maintenance = body.maintenance;
        app.updatedAt = now();
      }
      return json(200, appJson(app));
    }),
    route("GET", "/apps/:app/config-vars", (req) => json(200, effectiveConfig(state(), requireApp(state(), req.params.app)))),
    route("PATCH", "/apps/:app/config-vars", async (req) => {
      const app = requireApp(state(), req.params.app);
      const patch = parseBody(ConfigPatch, req.body);
      await ctx.announce(patchConfigVars(state(), app, patch));
      return json(200, effectiveConfig(state(), app));
    }),
    route("GET", "/apps/:app/releases", (req) => {
      const app = requireApp(state(), req.params.app);
      return paginate(app.releases, header(req.headers, "range"), releaseFields, "version", (r) => releaseJson(app, r));
    }),
    route("GET", "/apps/:app/releases/:release", (req) => {
      const app = requireApp(state(), req.params.app);
      const release = findRelease(app, req.params.release);
      if (!release) throw notFound("release", "Couldn't find that release.");
      return json(200, releaseJson(app, release));
    }),
  ];
}
