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

/** One line about a command's process: its own output, or what the platform says about it. */
export interface CommandLine {
  /** "process": the command's stdout or stderr (one stream, as the platform merges them); "platform": starting, state changes, the exit. */
  from: "process" | "platform";
  /** The app's own text: it goes through the run's logger, which redacts the run's secrets. */
  text: string;
}

export interface RunCommandInput {
  /** A shell command line, as the app's own processes would run it (`bin/rails db:migrate`). */
  command: string;
  /** The process is stopped and the call rejects once it has run this long. */
  timeoutMs: number;
  /** Aborting stops the process and rejects. */
  signal: AbortSignal;
  /** Each line as it arrives, in order. */
  onLine(line: CommandLine): void;
}

export interface CommandResult {
  /** The process's exit status (128 + the signal number when a signal ended it). */
  exitStatus: number;
  /** The platform's name for the process, for messages (`run.1234`). */
  processName: string;
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
  /**
   * Runs a command in a new one-off process of the app, with the app's config as it is now (its
   * current database URL included), and resolves with its exit status once it has exited. Its
   * output is streamed to `onLine` as it comes. On abort or timeout the process is stopped (it
   * does not run on unwatched) and the call rejects. Config values are never written anywhere.
   */
  runCommand(input: RunCommandInput): Promise<CommandResult>;
}
