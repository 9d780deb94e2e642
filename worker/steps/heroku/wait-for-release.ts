import { setTimeout as sleep } from "node:timers/promises";
import type { StepContext } from "../types";

const POLL_MS = 2_000;

/**
 * Heroku restarts dynos after a config change in the background. Until every dyno runs the new
 * release, some still use the old DATABASE_URL, so maintenance must not go off before that.
 */
export async function waitForDynosOnLatestRelease(ctx: StepContext, timeoutMs = 300_000): Promise<void> {
  const app = ctx.plan.app.name;
  const [latest] = await ctx.heroku.listReleases(app, { max: 1 });
  if (!latest) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dynos = await ctx.heroku.listDynos(app);
    const lagging = dynos.filter((d) => d.release.version < latest.version || d.state !== "up");
    if (lagging.length === 0) {
      ctx.log.info(`all ${dynos.length} dyno(s) of ${app} run release v${latest.version}`);
      return;
    }
    const list = lagging.map((d) => `${d.name} (${d.state}, v${d.release.version})`).join(", ");
    if (Date.now() > deadline) throw new Error(`dynos of ${app} did not restart on release v${latest.version} within ${timeoutMs / 1000} s: ${list}`);
    ctx.log.info(`waiting for ${lagging.length} dyno(s) to run release v${latest.version}: ${list}`);
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
  }
}
