import type { WriteStream } from "node:fs";
import { spawnDyno, stopDyno, waitBooted, type DynoProcess } from "./dyno-process";

export interface FormationEntry {
  type: string;
  quantity: number;
}

/** up: serving; starting: booting, no traffic yet; down: told to stop, not exited yet. */
export type DynoState = "starting" | "up" | "down";

interface Managed {
  process: DynoProcess;
  state: DynoState;
}

export interface DynoManagerOptions {
  app: string;
  log: WriteStream;
  say: (line: string) => void;
  /** How long a dyno takes to boot after a restart, release or scale-up: it is `starting` at least this long. */
  restartMs: number;
}

const BOOT_TIMEOUT_MS = 60_000;

/**
 * Runs an app's dynos the way Heroku does: one process per dyno, started with the app's config,
 * restarted on every release in the background (each old dyno serving until its replacement is up,
 * as with preboot), scaled by the formation, restarted when it crashes.
 */
export class DynoManager {
  private dynos: Managed[] = [];
  private config: Record<string, string> = {};
  private releaseVersion = 0;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: DynoManagerOptions) {}

  /** Serialized: releases and scaling never interleave. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work, work);
    return this.queue;
  }

  /** Resolves once the formation runs (callers that are the API do not wait: Heroku answers first). */
  scale(formation: FormationEntry[], config = this.config, releaseVersion = this.releaseVersion, bootMs = this.opts.restartMs): Promise<void> {
    return this.enqueue(async () => {
      this.config = config;
      this.releaseVersion = releaseVersion;
      const work: Promise<void>[] = [];
      for (const { type, quantity } of formation.filter((f) => f.type === "web" || f.type === "worker")) {
        for (let i = 1; i <= Math.max(quantity, this.count(type)); i++) {
          const name = `${type}.${i}`;
          if (i <= quantity && !this.current(name)) work.push(this.boot(name, bootMs).then(() => undefined));
          if (i > quantity && this.current(name)) work.push(this.retire(this.current(name)!));
        }
      }
      await Promise.all(work);
    });
  }

  /** A release or restart: every dyno (of `types`) is replaced by one running `config`, all at once. */
  release(config: Record<string, string>, types?: string[], releaseVersion = this.releaseVersion): Promise<void> {
    return this.enqueue(async () => {
      this.config = config;
      this.releaseVersion = releaseVersion;
      const rolling = this.live().filter((d) => !types || types.includes(d.process.type));
      await Promise.all(rolling.map((old) => this.replace(old)));
    });
  }

  /** Every dyno with its state and the release it runs (Heroku's GET /apps/{app}/dynos); two of a name during a restart. */
  list(): Array<{ name: string; type: string; state: DynoState; releaseVersion: number }> {
    return this.dynos.map((d) => ({ name: d.process.name, type: d.process.type, state: d.state, releaseVersion: d.process.releaseVersion }));
  }

  /** Ports of the web dynos that are up, for the router: a booting one gets no traffic yet. */
  webPorts(): number[] {
    return this.dynos.filter((d) => d.state === "up" && d.process.type === "web" && d.process.port !== null).map((d) => d.process.port!);
  }

  /** Resolves once no restart or scaling is pending. */
  settled(): Promise<void> {
    return this.queue.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.settled();
    await Promise.all(this.dynos.map((d) => stopDyno(d.process)));
    this.dynos = [];
  }

  private live(): Managed[] {
    return this.dynos.filter((d) => d.state !== "down");
  }

  private current(name: string): Managed | undefined {
    return this.live().findLast((d) => d.process.name === name);
  }

  private count(type: string): number {
    return new Set(this.live().filter((d) => d.process.type === type).map((d) => d.process.name)).size;
  }

  private async boot(name: string, bootMs: number): Promise<Managed | undefined> {
    if (this.stopped) return undefined;
    const process = await spawnDyno({ app: this.opts.app, name, config: this.config, releaseVersion: this.releaseVersion, log: this.opts.log });
    const dyno: Managed = { process, state: "starting" };
    this.dynos.push(dyno);
    void process.exited.then(() => this.onExit(dyno));
    this.note(name, "State changed from down to starting");
    const [booted] = await Promise.all([waitBooted(process, BOOT_TIMEOUT_MS), new Promise((r) => setTimeout(r, bootMs))]);
    if (!booted) {
      this.opts.say(`${this.opts.app} ${name} did not boot; see its log`);
      return undefined;
    }
    if (dyno.state === "starting") dyno.state = "up";
    this.note(name, "State changed from starting to up");
    return dyno;
  }

  // The old dyno keeps serving (and writing) until the new one is up.
  private async replace(old: Managed): Promise<void> {
    await this.boot(old.process.name, this.opts.restartMs);
    await this.retire(old);
  }

  private async retire(dyno: Managed): Promise<void> {
    dyno.state = "down";
    this.note(dyno.process.name, "Stopping all processes with SIGTERM");
    await stopDyno(dyno.process);
    this.forget(dyno);
  }

  private forget(dyno: Managed): void {
    this.dynos = this.dynos.filter((d) => d !== dyno);
  }

  private note(name: string, text: string): void {
    this.opts.log.write(`${new Date().toISOString()} heroku[${name}]: ${text}\n`);
  }

  // Heroku restarts crashed dynos; so do we, unless it was asked to stop.
  private onExit(dyno: Managed): void {
    const crashed = !dyno.process.stopping && !this.stopped && this.dynos.includes(dyno);
    this.forget(dyno);
    if (!crashed) return;
    const name = dyno.process.name;
    this.opts.say(`${this.opts.app} ${name} crashed (exit ${dyno.process.child.exitCode ?? dyno.process.child.signalCode}); restarting`);
    // Scaling or a release may have started this dyno again meanwhile; never run two of one name.
    setTimeout(() => void this.enqueue(async () => void (this.current(name) ? undefined : await this.boot(name, this.opts.restartMs))), 1_000);
  }
}
