import { setTimeout as sleep } from "node:timers/promises";
import type { Dyno, FormationEntry } from "@/lib/heroku";
import type { SettleOptions } from "../types";
import type { HerokuBinding } from "./binding";

const POLL_MS = 2_000;
// Heroku gives a stopping dyno 30 s after SIGTERM, and a booting one up to 60 s to bind its port.
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Heroku restarts dynos after a config change, and starts or stops them after scaling, in the
 * background: until the dynos match the formation, each up and on the latest release, some still
 * use the old DATABASE_URL (or still run at all), so maintenance must not go off before that.
 */
export async function waitForDynosSettled({ client, app }: HerokuBinding, { timeoutMs = DEFAULT_TIMEOUT_MS, signal, log }: SettleOptions): Promise<void> {
  const [latest] = await client.listReleases(app, { max: 1 });
  if (!latest) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [formation, dynos] = await Promise.all([client.getFormation(app), client.listDynos(app)]);
    const lagging = laggingDynos(formation, dynos, latest.version);
    if (lagging.length === 0) {
      log.info(`all ${countOf(formation)} dyno(s) of ${app} run release v${latest.version}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`dynos of ${app} did not settle on release v${latest.version} within ${timeoutMs / 1000} s: ${lagging.join(", ")}`);
    log.info(`waiting for the dynos of ${app} to run release v${latest.version}: ${lagging.join(", ")}`);
    await sleep(POLL_MS, undefined, { signal });
  }
}

/**
 * What still differs from "each formation type has exactly its quantity of dynos, all up on
 * `version`". One-off dynos (run.N) are not in the formation and are never restarted, so they do not count.
 */
export function laggingDynos(formation: Pick<FormationEntry, "type" | "quantity">[], dynos: Dyno[], version: number): string[] {
  return formation.flatMap(({ type, quantity }) => {
    const ofType = dynos.filter((d) => d.type === type);
    const stale = ofType.filter((d) => d.release.version < version || d.state !== "up").map((d) => `${d.name} (${d.state}, v${d.release.version})`);
    const ready = ofType.length - stale.length;
    const count = ready === quantity ? [] : [`${type}: ${ready} up, the formation says ${quantity}`];
    return [...stale, ...count];
  });
}

const countOf = (formation: Pick<FormationEntry, "quantity">[]) => formation.reduce((n, f) => n + f.quantity, 0);
