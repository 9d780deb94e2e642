// One-off dynos (`heroku run:detached`): POST /apps/{app}/dynos starts `sh -c <command>` through
// the app's runner; the output goes to the app's log, read with a log session.
import { z } from "zod";
import type { EmulatorContext } from "./context";
import { invalidParams } from "./errors";
import { DEFAULT_DYNO_SIZE, canonicalSize, restartTargets } from "./formation";
import { type Route, json, parseBody, route } from "./http";
import { type OneOffRunner, isRunning, oneOffJson } from "./one-off";
import { type AppRecord, effectiveConfig, requireApp } from "./state";

export const DEFAULT_TIME_TO_LIVE_S = 3600;
// Each one-off is a real process on the developer's machine; a runaway loop must not fork-bomb it.
export const MAX_RUNNING_ONE_OFFS = 20;

const noNul = (text: string) => !text.includes("\0");

const RunBody = z.object({
  command: z.string({ message: "is required: the command line to run, e.g. \"bin/migrate\"" })
    .max(4096, "must be at most 4096 characters")
    .refine((c) => c.trim() !== "", "must not be empty")
    .refine(noNul, "must not contain NUL characters"),
  attach: z.boolean().optional(),
  env: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,255}$/, "names are letters, digits and _ (not starting with a digit)"),
    z.string().max(32_768, "values are at most 32768 characters").refine(noNul, "values must not contain NUL characters"),
  ).refine((env) => Object.keys(env).length <= 200, "at most 200 variables").optional(),
  size: z.string().min(1).max(40).optional(),
  type: z.literal("run", { message: "must be \"run\": the emulator runs one-off dynos of type run only" }).optional(),
  time_to_live: z.number().int().min(1, "must be at least 1 second").max(86_400, "must be at most 86400 seconds (24 hours)").optional(),
  force_no_tty: z.boolean().nullish(),
});

const DETACHED_ONLY =
  "The Heroku emulator runs one-off dynos detached only (like `heroku run:detached`): send attach: false or leave it out, " +
  "then read the output with POST /apps/{app}/log-sessions {\"dyno\": \"run.N\", \"tail\": true} and GET its logplex_url.";

export function requireRunner(ctx: EmulatorContext, app: AppRecord): OneOffRunner {
  const runner = ctx.oneOffs(app.name);
  if (!runner) {
    throw invalidParams(`The Heroku emulator has no dyno runner for app ${app.name}: one-off dynos and log sessions work only for apps whose dynos the sandbox runs.`);
  }
  return runner;
}

function currentRelease(app: AppRecord): { id: string; version: number } {
  const release = app.releases.at(-1);
  if (!release) throw invalidParams(`App ${app.name} has no release yet to run a one-off dyno on.`);
  return { id: release.id, version: release.version };
}

export function dynoRoutes(ctx: EmulatorContext): Route[] {
  const state = () => ctx.state();
  return [
    route("POST", "/apps/:app/dynos", async (req) => {
      const app = requireApp(state(), req.params.app);
      const body = parseBody(RunBody, req.body);
      if (body.attach) throw invalidParams(DETACHED_ONLY.replace("{app}", app.name));
      const runner = requireRunner(ctx, app);
      if (runner.list().filter(isRunning).length >= MAX_RUNNING_ONE_OFFS) {
        throw invalidParams(`App ${app.name} already runs ${MAX_RUNNING_ONE_OFFS} one-off dynos, the emulator's limit; wait for one to finish or stop it.`);
      }
      const dyno = await runner.run({
        command: body.command, env: body.env ?? {}, size: canonicalSize(body.size ?? DEFAULT_DYNO_SIZE),
        timeToLiveS: body.time_to_live ?? DEFAULT_TIME_TO_LIVE_S, config: effectiveConfig(state(), app), release: currentRelease(app),
      });
      return json(201, oneOffJson(app, dyno));
    }),
    // `heroku ps:stop`: a one-off stops for good; a formation dyno is restarted, as on Heroku.
    route("POST", "/apps/:app/dynos/:dyno/actions/stop", async (req) => {
      const app = requireApp(state(), req.params.app);
      const runner = ctx.oneOffs(app.name);
      const oneOff = runner?.get(req.params.dyno);
      if (runner && oneOff) {
        if (!runner.stop(oneOff.name)) throw invalidParams(`Dyno ${oneOff.name} has already finished (${oneOff.state}).`);
        return json(202, {});
      }
      await ctx.formationChanged(app, restartTargets(app, req.params.dyno));
      return json(202, {});
    }),
  ];
}
