// The operations a cutover needs from the platform that runs the app, in words no platform owns:
// the worker's steps call only these, and each platform has one adapter (heroku/).

/** What preflight records about the app's database. */
export interface SourceFacts {
  appId: string;
  addonId: string;
  addonName: string;
  addonPlan: string;
  /** The attachment that provides DATABASE_URL today. */
  databaseAttachmentId: string;
  /** Every name the source database is attached under on this app, DATABASE included. */
  attachmentNames: string[];
  /** A secret: seal or redact before storing or logging. */
  databaseUrl: string;
}

/** The source database as preflight saw it: what the switch moves away from and a rollback brings back. */
export type SourceDatabase = Pick<SourceFacts, "addonId" | "addonName">;

/** How many processes of one type the app runs. */
export interface ProcessCount {
  type: string;
  quantity: number;
}

/** Where the platform narrates what it waits for; a step's logger fits. */
export interface PlatformLog {
  info(text: string): void;
}

export interface SettleOptions {
  timeoutMs?: number;
  signal: AbortSignal;
  log: PlatformLog;
}

export interface SwitchDatabaseInput {
  source: SourceDatabase;
  /** The name the source stays attached under, for a rollback. */
  alias: string;
  targetUrl: string;
}

export interface SwitchedDatabase {
  aliasAttachmentId: string;
  /** Null when DATABASE was already detached (a resumed switch). */
  detachedAttachmentId: string | null;
}

export interface PromoteSourceInput {
  source: SourceDatabase;
  /** The source's URL as preflight recorded it: DATABASE_URL must read it back. */
  sourceUrl: string;
  alias: string;
  signal: AbortSignal;
  log: PlatformLog;
}

/** One app on its platform, for one run: the app name is bound, so no call names it. */
export interface AppPlatform {
  /** The platform's name for messages, e.g. "Heroku". */
  readonly label: string;
  readSource(): Promise<SourceFacts>;
  /** Whether maintenance mode is on. */
  maintenance(): Promise<boolean>;
  /** Turns maintenance mode on or off; answers the state the platform reports afterwards. */
  setMaintenance(on: boolean): Promise<boolean>;
  formation(): Promise<ProcessCount[]>;
  scale(changes: ProcessCount[]): Promise<void>;
  /** Resolves once every process runs the latest release in the formation's numbers. */
  waitForDynosSettled(options: SettleOptions): Promise<void>;
  /** Points DATABASE_URL at the target, keeping the source attached as `alias`; safe to repeat. */
  switchDatabase(input: SwitchDatabaseInput): Promise<SwitchedDatabase>;
  /** Brings the source back as the app's database from any half-switched state, then waits for the processes. */
  promoteSource(input: PromoteSourceInput): Promise<void>;
}
