// What route handlers may use besides the request: the live state and the hooks, wrapped so
// handlers never touch the server or the store directly.
import type { PlainVarCollision } from "./attachments";
import type { AddonRecord, AppRecord, EmulatorState, Released } from "./state";

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
  plainVarCollision: PlainVarCollision;
  baseUrl(): string;
  /** HMAC used to sign backup download URLs, which are fetched without a token. */
  sign(text: string): string;
}
