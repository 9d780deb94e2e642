// Formation (scaling) and restarts. Neither is a release: both go to the onFormation hook.
import { z } from "zod";
import type { EmulatorContext } from "./context";
import { restartTargets, requireFormation, scaleFormation } from "./formation";
import { type Route, header, json, parseBody, route } from "./http";
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
