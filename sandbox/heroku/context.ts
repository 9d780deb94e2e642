// What route handlers may use besides the request: the live state and the hooks, wrapped so
// handlers never touch the server or the store directly.
import { createHmac } from "node:crypto";
import type { PlainVarCollision } from "./attachments";
import { ApiError } from "./errors";
import type { OneOffRunner } from "./one-off";
import { settleRelease } from "./releases";
import type { EmulatorHooks } from "./server";
import { type AddonRecord, type AppRecord, type EmulatorState, type Released, effectiveConfig } from "./state";

export interface DatabaseFacts {
  postgresVersion: string;
  numBytes: number;
  numTables: number;
}

export interface EmulatorContext {
  /** Current state; replaced wholesale by reset, so always read it through the context. */
  state(): EmulatorState;
  /** Calls onRelease for each new release (with the app's effective config) and settles it. */
  announce(released: Released[]): Promise<void>;
  /** Calls onFormation with the app's whole formation. */
  formationChanged(app: AppRecord, restart?: string[]): Promise<void>;
  databaseFacts(addon: AddonRecord): Promise<DatabaseFacts>;
  /** The running dynos as the dyno manager reports them, when it does. */
  listDynos(app: string): ReturnType<NonNullable<EmulatorHooks["listDynos"]>> | undefined;
  /** The app's one-off dyno runner, when the sandbox runs its dynos. */
  oneOffs(app: string): OneOffRunner | undefined;
  plainVarCollision: PlainVarCollision;
  baseUrl(): string;
  /** HMAC used to sign backup download and log session URLs, which are fetched without a token. */
  sign(text: string): string;
}

export interface ContextDeps {
  state(): EmulatorState;
  baseUrl(): string;
  hooks: EmulatorHooks;
  apiToken: string;
  plainVarCollision: PlainVarCollision;
}

const STATIC_FACTS: DatabaseFacts = { postgresVersion: "16.4", numBytes: 8_388_608, numTables: 12 };

export function formationOf(app: AppRecord): Array<{ type: string; quantity: number; size: string }> {
  return app.formation.map(({ type, quantity, size }) => ({ type, quantity, size }));
}

/** A failing hook must not fail the API call that triggered it; it is logged and reported. */
async function runHook(what: string, call: () => void | Promise<void>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    console.error(`[heroku-emulator] ${what} hook failed: ${(error as Error)?.message ?? String(error)}`);
    return false;
  }
}

export function createContext(deps: ContextDeps): EmulatorContext {
  const { hooks } = deps;
  return {
    state: deps.state,
    baseUrl: deps.baseUrl,
    plainVarCollision: deps.plainVarCollision,
    listDynos: (app) => hooks.listDynos?.(app),
    oneOffs: (app) => hooks.oneOffDynos?.(app),
    sign: (text) => createHmac("sha256", deps.apiToken).update(text).digest("hex").slice(0, 32),
    async announce(released) {
      for (const { app, release } of released) {
        const config = effectiveConfig(deps.state(), app);
        const event = { app: app.name, version: release.version, description: release.description, config };
        settleRelease(release, await runHook("onRelease", () => hooks.onRelease?.(event)));
      }
    },
    async formationChanged(app, restart) {
      const event = { app: app.name, formation: formationOf(app), ...(restart ? { restart } : {}) };
      await runHook("onFormation", () => hooks.onFormation?.(event));
    },
    async databaseFacts(addon) {
      if (!hooks.databaseInfo) return STATIC_FACTS;
      try {
        return await hooks.databaseInfo({ id: addon.id, name: addon.name, url: addon.url });
      } catch {
        throw new ApiError(503, "service_unavailable", `Could not read database facts for ${addon.name}.`);
      }
    },
  };
}
