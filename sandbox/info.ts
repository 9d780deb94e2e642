/** What the running sandbox tells scripts, tests and the demo seed (.switchyard/sandbox.json, 0600). */
export interface SandboxApp {
  name: string;
  /** The app's public URL through the emulator's router. */
  routerUrl: string;
  /** The Heroku Postgres add-on's name. */
  sourceAddon: string;
  sourceDatabaseUrl: string;
  /** The migration target ("RDS") on the second server. */
  targetDatabaseUrl: string;
  /** A second, empty database on the target server for rehearsals. */
  rehearsalTargetDatabaseUrl: string;
}

export interface SandboxInfo {
  emulatorUrl: string;
  apiToken: string;
  apps: SandboxApp[];
}
