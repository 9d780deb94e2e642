// Waiting between attempts. An injected `sleep` (tests use a recording fake) need not know
// about aborts: the wait races it against the caller's signal.
import { setTimeout as delay } from "node:timers/promises";

export type Sleep = (ms: number) => Promise<void>;

export function defaultSleep(signal?: AbortSignal): Sleep {
  return (ms) => delay(ms, undefined, signal ? { signal } : undefined);
}

/** Resolves after `sleep(ms)`, or rejects with the signal's reason as soon as it aborts. */
export function waitOrAbort(sleep: Sleep, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    sleep(ms).then(
      () => { signal.removeEventListener("abort", onAbort); resolve(); },
      (error: unknown) => { signal.removeEventListener("abort", onAbort); reject(signal.aborted ? signal.reason : error); },
    );
  });
}
