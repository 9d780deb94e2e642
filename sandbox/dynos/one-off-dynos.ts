// One-off dynos as Heroku runs them detached: `sh -c <command>` in the app's directory with the
// release's config plus the request's env, output to the app's log, killed at its time_to_live.
import { randomInt, randomUUID } from "node:crypto";
import type { WriteStream } from "node:fs";
import { dynoBaseEnv } from "../env";
import { LogBuffer, type LogSource, formatLogLine } from "../heroku/log-buffer";
import type { OneOffDyno, OneOffRequest, OneOffRunner } from "../heroku/one-off";
import { type DynoProcess, freePort, stopDyno } from "./dyno-process";
import { spawnOneOff } from "./one-off-process";

export interface OneOffDynosOptions {
  app: string;
  /** The app's log file (sandbox/logs/<app>.log). */
  log: WriteStream;
  logs?: LogBuffer;
  /** How long a finished dyno still answers GET /apps/{app}/dynos/{name}. */
  retainMs?: number;
  /** SIGTERM → SIGKILL grace when the time_to_live runs out, on stop, and when the sandbox stops. */
  graceMs?: number;
}

interface Entry {
  dyno: OneOffDyno;
  process?: DynoProcess;
  /** Resolves once the final lines are written and the state is complete or crashed. */
  finished: Promise<void>;
  finish(): void;
}

const DEFAULT_RETAIN_MS = 10 * 60_000;
const MAX_RETAINED = 200;

export class OneOffDynos implements OneOffRunner {
  readonly logs: LogBuffer;
  private entries = new Map<string, Entry>();
  private stopped = false;

  constructor(private readonly opts: OneOffDynosOptions) {
    this.logs = opts.logs ?? new LogBuffer();
  }

  async run(request: OneOffRequest): Promise<OneOffDyno> {
    if (this.stopped) throw new Error("The sandbox is stopping; no new one-off dynos.");
    const at = new Date().toISOString();
    const dyno: OneOffDyno = {
      id: randomUUID(), name: this.freshName(), command: request.command, size: request.size, state: "starting",
      release: request.release, createdAt: at, updatedAt: at,
    };
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const entry: Entry = { dyno, finished, finish };
    // Reserved before the await, so two runs never get one name.
    this.entries.set(dyno.name, entry);
    this.logs.begin(dyno.name);
    this.start(entry, request, await freePort());
    return { ...dyno };
  }

  get(name: string): OneOffDyno | undefined {
    const dyno = this.entries.get(name)?.dyno;
    return dyno && { ...dyno };
  }

  list(): OneOffDyno[] {
    return [...this.entries.values()].map((e) => ({ ...e.dyno }));
  }

  stop(name: string): boolean {
    const entry = this.entries.get(name);
    if (!entry?.process || !this.isLive(entry)) return false;
    this.note(name, "Stopping all processes with SIGTERM");
    void stopDyno(entry.process, this.graceMs);
    return true;
  }

  /** Stops every running one-off and waits for their final log lines. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const live = [...this.entries.values()].filter((e) => this.isLive(e));
    for (const entry of live) if (entry.process) void stopDyno(entry.process, this.graceMs);
    await Promise.all(live.map((e) => e.finished));
  }

  /** Resolves once the dyno has finished and its last lines are in the log (tests, callers that wait). */
  finished(name: string): Promise<void> | undefined {
    return this.entries.get(name)?.finished;
  }

  private get graceMs(): number {
    return this.opts.graceMs ?? 5_000;
  }

  private isLive(entry: Entry): boolean {
    return entry.dyno.state === "starting" || entry.dyno.state === "up";
  }

  private start(entry: Entry, request: OneOffRequest, port: number): void {
    const { id, name } = entry.dyno;
    // stopAll ran while this one waited for its port: it must not outlive the sandbox.
    if (this.stopped) {
      this.note(name, "Not started: the sandbox is stopping");
      this.end(entry, 143);
      return;
    }
    // Only the app's config and the request's env; DYNO and PORT are the platform's, as on Heroku.
    const env = { ...dynoBaseEnv(), ...request.config, ...request.env, DYNO: name, PORT: String(port), APP_NAME: this.opts.app };
    this.note(name, `Starting process with command \`${request.command}\``);
    const ttl = setTimeout(() => {
      this.note(name, `Stopping all processes with SIGTERM (time_to_live of ${request.timeToLiveS} s reached)`);
      if (entry.process) void stopDyno(entry.process, this.graceMs);
    }, request.timeToLiveS * 1000).unref();
    entry.process = spawnOneOff({ id, name, command: request.command, env, port, releaseVersion: request.release.version }, {
      up: () => this.changeState(entry, "up"),
      line: (text) => this.write(name, "app", text),
      ended: (status, error) => {
        clearTimeout(ttl);
        if (error) this.note(name, `Error: could not start the process: ${error}`);
        this.end(entry, status);
      },
    });
  }

  private end(entry: Entry, status: number): void {
    const { name } = entry.dyno;
    this.note(name, `Process exited with status ${status}`);
    this.changeState(entry, status === 0 ? "complete" : "crashed");
    this.logs.end(name);
    entry.finish();
    setTimeout(() => this.forget(name), this.opts.retainMs ?? DEFAULT_RETAIN_MS).unref();
    this.trimRetained();
  }

  private changeState(entry: Entry, to: OneOffDyno["state"]): void {
    this.note(entry.dyno.name, `State changed from ${entry.dyno.state} to ${to}`);
    entry.dyno.state = to;
    entry.dyno.updatedAt = new Date().toISOString();
  }

  private forget(name: string): void {
    const entry = this.entries.get(name);
    if (entry && !this.isLive(entry)) this.entries.delete(name);
  }

  // Many short runs must not pile up between retention timers.
  private trimRetained(): void {
    const done = [...this.entries.values()].filter((e) => !this.isLive(e));
    for (const entry of done.slice(0, Math.max(0, done.length - MAX_RETAINED))) this.entries.delete(entry.dyno.name);
  }

  /** `run.` and four digits, five once four-digit names get crowded. */
  private freshName(): string {
    for (let attempt = 0; ; attempt++) {
      const name = attempt < 50 ? `run.${randomInt(1000, 10_000)}` : `run.${randomInt(10_000, 100_000)}`;
      if (!this.entries.has(name)) return name;
    }
  }

  private note(name: string, text: string): void {
    this.write(name, "heroku", text);
  }

  private write(dyno: string, source: LogSource, text: string): void {
    const line = { at: new Date().toISOString(), source, dyno, text };
    this.opts.log.write(formatLogLine(line));
    this.logs.append(line);
  }
}
