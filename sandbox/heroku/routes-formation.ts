// Formation (scaling) and restarts. Neither is a release: both go to the onFormation hook.
import { z } from "zod";
import type { EmulatorContext } from "./context";
import { restartTargets, requireFormation, scaleFormation } from "./formation";
import { notFound } from "./errors";
import { type Route, header, json, parseBody, route } from "./http";
import { isRunning, oneOffJson } from "./one-off";
import { paginate } from "./pagination";
import { formationJson } from "./serialize";
import { type FormationRecord, requireApp } from "./state";

const Quantity = z.number().int().min(0).max(100);
const Size = z.string().min(1).max(40);

const BatchScale = z.object({
  updates: z.array(z.object({ type: z.string().min(1), quantity: Quantity.optional(), size: Size.optional() })).min(1),
});
const SingleScale = z.object({ quantity: Quantity.optional(), size: Size.optional() });

const fields = { id: (f: FormationRecord) => f.id, type: (f: FormationRecord) => f.type };

// Heroku's dyno list; the release each dyno runs tells a caller when a config change has taken effect.
export function listDynos(ctx: EmulatorContext, app: ReturnType<typeof requireApp>) {
  const current = app.releases[app.releases.length - 1];
  const releaseOf = (version: number) => app.releases.find((r) => r.version === version) ?? current;
  const dynos = ctx.listDynos(app.name) ??
    app.formation.flatMap((f) => Array.from({ length: f.quantity }, (_, i) => ({ name: `${f.type}.${i + 1}`, type: f.type, state: "up" as const, releaseVersion: current?.version ?? 0 })));
  return dynos.map((d) => {
    const release = releaseOf(d.releaseVersion);
    return { id: `${app.id}-${d.name}`, name: d.name, type: d.type, state: d.state, size: "standard-1X", app: { id: app.id, name: app.name }, release: { id: release?.id ?? null, version: d.releaseVersion } };
  });
}

export function formationRoutes(ctx: EmulatorContext): Route[] {
  const state = () => ctx.state();
  return [
    route("GET", "/apps/:app/formation", (req) => {
      const app = requireApp(state(), req.params.app);
      return paginate(app.formation, header(req.headers, "range"), fields, "type", (f) => formationJson(app, f));
    }),
    route("GET", "/apps/:app/formation/:type", (req) => {
      const app = requireApp(state(), req.params.app);
      return json(200, formationJson(app, requireFormation(app, req.params.type)));
    }),
    route("PATCH", "/apps/:app/formation", async (req) => {
      const app = requireApp(state(), req.params.app);
      const changed = scaleFormation(app, parseBody(BatchScale, req.body).updates);
      await ctx.formationChanged(app);
      return json(200, changed.map((f) => formationJson(app, f)));
    }),
    route("PATCH", "/apps/:app/formation/:type", async (req) => {
      const app = requireApp(state(), req.params.app);
      const [changed] = scaleFormation(app, [{ type: req.params.type, ...parseBody(SingleScale, req.body) }]);
      await ctx.formationChanged(app);
      return json(200, formationJson(app, changed));
    }),
    // Running one-off dynos are listed too, as on Heroku; finished ones only answer by name.
    route("GET", "/apps/:app/dynos", (req) => {
      const app = requireApp(state(), req.params.app);
      const oneOffs = (ctx.oneOffs(app.name)?.list() ?? []).filter(isRunning).map((d) => oneOffJson(app, d));
      return json(200, [...listDynos(ctx, app), ...oneOffs]);
    }),
    route("GET", "/apps/:app/dynos/:dyno", (req) => {
      const app = requireApp(state(), req.params.app);
      const oneOff = ctx.oneOffs(app.name)?.get(req.params.dyno);
      if (oneOff) return json(200, oneOffJson(app, oneOff));
      // During a restart two dynos share a name; the newest is last.
      const found = listDynos(ctx, app).findLast((d) => d.name === req.params.dyno);
      if (!found) throw notFound("dyno", `Couldn't find that dyno (${req.params.dyno}).`);
      return json(200, found);
    }),
    route("DELETE", "/apps/:app/dynos", async (req) => {
      const app = requireApp(state(), req.params.app);
      await ctx.formationChanged(app, restartTargets(app));
      return json(202, {});
    }),
    route("DELETE", "/apps/:app/dynos/:dyno", async (req) => {
      const app = requireApp(state(), req.params.app);
      await ctx.formationChanged(app, restartTargets(app, req.params.dyno));
      return json(202, {});
    }),
    route("DELETE", "/apps/:app/formations/:type", async (req) => {
      const app = requireApp(state(), req.params.app);
      await ctx.formationChanged(app, [requireFormation(app, req.params.type).type]);
      return json(202, {});
    }),
  ];
}
