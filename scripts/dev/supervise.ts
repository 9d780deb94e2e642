import { setTimeout as sleep } from "node:timers/promises";
import { killGroup, type Child } from "./children";

export interface Supervisor {
  /** The child running now (a new one after each restart). */
  current(): Child;
  restarts(): number;
  /** Stops supervising (no more restarts); the caller then stops current(). */
  release(): void;
}

interface SuperviseOptions {
  name: string;
  start: () => Child;
  say: (line: string) => void;
  /** Called with each started child, the first included, and how often it was restarted so far. */
  onStart: (child: Child, restarts: number) => void;
  /** Called when it has crashed too often: the caller stops everything. */
  onGiveUp: (reason: string) => void;
  maxRestarts?: number;
}

// A child that stayed up this long counts as healthy again: its restart budget is refilled.
const HEALTHY_AFTER_MS = 60_000;

/**
 * Keeps a child running: when it exits on its own, whatever is left of its process group is
 * killed (a `next dev` leaves a server holding the port) and it is started again after a growing
 * pause; after too many restarts in a row it gives up. Ctrl-C (release, then stop) ends it.
 */
export function supervise(opts: SuperviseOptions): Supervisor {
  const maxRestarts = opts.maxRestarts ?? 5;
  let child = opts.start();
  let startedAt = Date.now();
  let inARow = 0;
  let total = 0;
  let released = false;

  const watch = (c: Child) => {
    void c.exited.then(async (code) => {
      if (released) return;
      killGroup(c, "SIGKILL");
      const how = code === null ? `signal ${c.process.signalCode ?? "?"}` : `code ${code}`;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) inARow = 0;
      if (inARow >= maxRestarts) {
        opts.onGiveUp(`${opts.name} exited unexpectedly (${how}) ${inARow + 1} times in a row; giving up`);
        return;
      }
      inARow += 1;
      total += 1;
      const pauseMs = Math.min(15_000, 1_000 * 2 ** (inARow - 1));
      opts.say(`${opts.name} exited unexpectedly (${how}); restarting it in ${pauseMs / 1000} s (restart ${inARow} of ${maxRestarts})`);
      await sleep(pauseMs);
      if (released) return;
      child = opts.start();
      startedAt = Date.now();
      opts.onStart(child, total);
      watch(child);
    });
  };
  opts.onStart(child, 0);
  watch(child);
  return {
    current: () => child,
    restarts: () => total,
    release: () => {
      released = true;
    },
  };
}
