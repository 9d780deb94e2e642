import type { WriteStream } from "node:fs";
import { spawnDyno, stopDyno, waitListening, type DynoProcess } from "./dyno-process";

export interface FormationEntry {
  type: string;
  quantity: number;
}

/**
 * Runs an app's dynos the way Heroku does: one process per dyno, started with the app's config,
 * replaced on every release, scaled by the formation, restarted when it crashes.
 */
export class DynoManager {
  private dynos = new Map<string, DynoProcess>();
  private config: Record<string, string> = {};
  private releaseVersion = 0;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: string,
    private readonly log: WriteStream,
    private readonly say: (line: string) => void,
  ) {}

  /** Serialized: releases and scaling never interleave. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work, work);
    return this.queue;
  }

  scale(formation: FormationEntry[], config = this.config, releaseVersion = this.releaseVersion): Promise<void> {
    return this.enqueue(async () => {
      this.config = config;
      this.releaseVersion = releaseVersion;
      for (const { type, quantity } of formation.filter((f) => f.type === "web" || f.type === "worker")) {
        for (let i = 1; i <= Math.max(quantity, this.count(type)); i++) {
          const name = `${type}.${i}`;
          if (i <= quantity && !this.dynos.has(name)) await this.start(name);
          if (i > quantity && this.dynos.has(name)) await this.retire(name);
        }
      }
    });
  }

  /** A release: every dyno is replaced by one running the new config (new one up first). */
  release(config: Record<string, string>, types?: string[], releaseVersion = this.releaseVersion): Promise<void> {
    return this.enqueue(async () => {
      this.config = config;
      this.releaseVersion = releaseVersion;
      for (const name of [...this.dynos.keys()]) {
        if (!types || types.includes(name.split(".")[0]!)) await this.replace(name);
      }
    });
  }

  /** Every dyno with the release it runs (Heroku's GET /apps/{app}/dynos). */
  list(): Array<{ name: string; type: string; state: "up"; releaseVersion: number }> {
    return [...this.dynos.values()].map((d) => ({ name: d.name, type: d.type, state: "up", releaseVersion: d.releaseVersion }));
  }

  /** Ports of the web dynos that are up, for the router. */
  webPorts(): number[] {
    return [...this.dynos.values()].filter((d) => d.type === "web" && d.port !== null).map((d) => d.port!);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue.catch(() => undefined);
    await Promise.all([...this.dynos.values()].map((d) => stopDyno(d)));
    this.dynos.clear();
  }

  private count(type: string): number {
    return [...this.dynos.keys()].filter((n) => n.startsWith(`${type}.`)).length;
  }

  private async start(name: string): Promise<void> {
    if (this.stopped) return;
    const dyno = await spawnDyno({ app: this.app, name, config: this.config, releaseVersion: this.releaseVersion, log: this.log });
    void dyno.exited.then(() => this.onExit(dyno));
    if (!(await waitListening(dyno))) this.say(`${this.app} ${name} did not start listening; see its log`);
    this.dynos.set(name, dyno);
    this.log.write(`${new Date().toISOString()} heroku[${name}]: State changed from starting to up\n`);
  }

  private async replace(name: string): Promise<void> {
    const old = this.dynos.get(name);
    await this.start(name);
    if (old) await stopDyno(old);
  }

  private async retire(name: string): Promise<void> {
    const dyno = this.dynos.get(name);
    this.dynos.delete(name);
    if (dyno) await stopDyno(dyno);
  }

  // Heroku restarts crashed dynos; so do we, unless it was asked to stop.
  private onExit(dyno: DynoProcess): void {
    if (dyno.stopping || this.stopped || this.dynos.get(dyno.name) !== dyno) return;
    this.say(`${this.app} ${dyno.name} crashed (exit ${dyno.child.exitCode ?? dyno.child.signalCode}); restarting`);
    this.dynos.delete(dyno.name);
    // Scaling or a release may have started this dyno again meanwhile; never run two of one name.
    setTimeout(() => void this.enqueue(async () => (this.dynos.has(dyno.name) ? undefined : this.start(dyno.name))), 1_000);
  }
}
