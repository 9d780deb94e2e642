import os from "node:os";
import { median, round } from "./cli-args";
import { LatencyHistogram } from "./latency-histogram";
import type { BenchClient } from "./log-clients";
import type { Finished, Produced } from "./log-producer";

export const TARGETS = {
  linesPerSecond: 20_000,
  clients: 50,
  p99Ms: 250,
  /** Pipeline's aggregate delivered rate over the bare broadcast's, same clients, same rate. */
  deliveredVsBare: 0.8,
  /** With one client that stops reading, the others' p99 stays under p99Ms and their rate within this. */
  slowClientRateLoss: 0.05,
  /** "Sustained": stored and delivered to every client at no less than this share of the offered rate. */
  sustainedShare: 0.95,
} as const;

export interface PhaseResult {
  label: string;
  clients: number;
  producedLines: number;
  producedPerSecond: number;
  storedLines: number | null;
  persistedPerSecond: number | null;
  /** Every (fast) client got every seq exactly once, in order. */
  complete: boolean;
  /** Fast clients that missed lines: closed by the server as too slow (the bench process could not keep up) or still behind. */
  incompleteClients: number;
  closedByServer: number;
  linesOutOfOrder: number;
  deliveredPerSecond: { perClientMin: number; perClientMedian: number; aggregate: number };
  latencyMs: ReturnType<LatencyHistogram["summary"]>;
  /** The part of latencyMs spent before the line was committed (LogWriter queue + transaction). */
  appendToStoredMs: Finished["appendToStoredMs"];
  worker: { peakRssMb: number; idleRssMb: number };
  /** CPU time from production start to the last line received, in % of one core: where the machine's time went. */
  cpuPercent: { worker: number; postgres: number | null; clients: number };
  slowClient: { droppedByServer: boolean; droppedAfterMs: number | null; closeCode: number | null; linesReceived: number } | null;
  stream: Finished["stream"];
}

export function phaseResult(args: {
  label: string;
  clients: BenchClient[];
  slow: BenchClient | null;
  produced: Produced;
  finished: Finished;
  storedLines: number | null;
  /** Fast clients whose socket the server closed before the bench did. */
  closedEarly: number;
  cpuMs: { postgres: number | null; clients: number };
}): PhaseResult {
  const { produced, finished, clients, slow } = args;
  const gotAll = (c: BenchClient) => c.lines === produced.lines && c.lastSeq === produced.lines && c.outOfOrder === 0;
  const seconds = (ms: number) => Math.max(1, ms) / 1000;
  const perClient = clients.map((c) => c.lines / seconds(c.lastAt - produced.startedAt));
  const wallMs = Math.max(produced.persistedAt, ...clients.map((c) => c.lastAt)) - produced.startedAt;
  const pipeline = finished.stream !== null;
  return {
    label: args.label,
    clients: clients.length,
    producedLines: produced.lines,
    producedPerSecond: round(produced.lines / seconds(produced.producedAt - produced.startedAt), 0),
    storedLines: args.storedLines,
    persistedPerSecond: pipeline ? round(produced.written / seconds(produced.persistedAt - produced.startedAt), 0) : null,
    complete: clients.every(gotAll),
    incompleteClients: clients.filter((c) => !gotAll(c)).length,
    closedByServer: args.closedEarly,
    linesOutOfOrder: clients.reduce((n, c) => n + c.outOfOrder, 0),
    deliveredPerSecond: {
      perClientMin: round(Math.min(...perClient), 0),
      perClientMedian: round(median(perClient), 0),
      aggregate: round(perClient.reduce((a, b) => a + b, 0), 0),
    },
    latencyMs: clients.reduce((h, c) => h.merge(c.latency), new LatencyHistogram()).summary(),
    appendToStoredMs: finished.appendToStoredMs,
    worker: { peakRssMb: finished.peakRssMb, idleRssMb: finished.idleRssMb },
    cpuPercent: {
      worker: round((finished.cpuMs / wallMs) * 100, 0),
      postgres: args.cpuMs.postgres === null ? null : round((args.cpuMs.postgres / wallMs) * 100, 0),
      clients: round((args.cpuMs.clients / wallMs) * 100, 0),
    },
    slowClient: slow && {
      droppedByServer: (finished.stream?.slowDrops ?? 0) > 0,
      droppedAfterMs: finished.firstSlowDropMs,
      closeCode: slow.closeCode,
      linesReceived: slow.lines,
    },
    stream: finished.stream,
  };
}

export function evaluate(settings: { rate: number; clients: number }, pipeline: PhaseResult, withSlow: PhaseResult, bare: PhaseResult) {
  const atTargetLoad = settings.rate >= TARGETS.linesPerSecond && settings.clients >= TARGETS.clients;
  const floor = settings.rate * TARGETS.sustainedShare;
  const vsBare = round(pipeline.deliveredPerSecond.aggregate / bare.deliveredPerSecond.aggregate, 3);
  const slowRatio = round(withSlow.deliveredPerSecond.aggregate / pipeline.deliveredPerSecond.aggregate, 3);
  return {
    atTargetLoad,
    sustained: {
      pass:
        atTargetLoad &&
        pipeline.complete &&
        pipeline.storedLines === pipeline.producedLines &&
        (pipeline.persistedPerSecond ?? 0) >= floor &&
        pipeline.deliveredPerSecond.perClientMin >= floor,
      rule: `rate ≥ ${TARGETS.linesPerSecond}/s to ≥ ${TARGETS.clients} clients; every line stored; every client gets every seq once, in order; stored and per-client delivered ≥ ${TARGETS.sustainedShare} × offered`,
    },
    p99: { pass: pipeline.latencyMs.p99 < TARGETS.p99Ms, measuredMs: pipeline.latencyMs.p99, rule: `p99 write → client < ${TARGETS.p99Ms} ms` },
    deliveredVsBare: { pass: vsBare >= TARGETS.deliveredVsBare, ratio: vsBare, rule: `aggregate delivered ≥ ${TARGETS.deliveredVsBare} × bare ws broadcast` },
    slowClient: {
      pass:
        withSlow.complete &&
        withSlow.slowClient?.droppedByServer === true &&
        withSlow.latencyMs.p99 < TARGETS.p99Ms &&
        slowRatio >= 1 - TARGETS.slowClientRateLoss,
      othersP99Ms: withSlow.latencyMs.p99,
      othersRateRatio: slowRatio,
      rule: `the slow client is dropped; the others still get every line, p99 < ${TARGETS.p99Ms} ms, aggregate rate ≥ ${1 - TARGETS.slowClientRateLoss} × without it`,
    },
  };
}

export function machine() {
  return { cores: os.availableParallelism(), memoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, loadAverage1m: round(os.loadavg()[0]!, 2) };
}

/** The summary table printed at the end. */
export function table(results: PhaseResult[]): string {
  const rows = [
    ["phase", "lines", "stored/s", "per client/s (min)", "aggregate/s", "p50 ms", "p99 ms", "max ms", "p99 to commit", "worker RSS MB", "CPU worker/PG/clients", "all lines, in order", "slow client"],
    ...results.map((r) => [
      r.label,
      String(r.producedLines),
      r.persistedPerSecond === null ? "-" : String(r.persistedPerSecond),
      String(r.deliveredPerSecond.perClientMin),
      String(r.deliveredPerSecond.aggregate),
      String(r.latencyMs.p50),
      String(r.latencyMs.p99),
      String(r.latencyMs.max),
      r.appendToStoredMs ? String(r.appendToStoredMs.p99) : "-",
      String(r.worker.peakRssMb),
      `${r.cpuPercent.worker}/${r.cpuPercent.postgres ?? "-"}/${r.cpuPercent.clients} %`,
      r.complete ? "yes" : `NO: ${r.incompleteClients} short, ${r.closedByServer} closed`,
      slowText(r),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`).join("\n");
}

function slowText(r: PhaseResult): string {
  const s = r.slowClient;
  if (!s) return "-";
  if (!s.droppedByServer) return "NOT dropped";
  const after = s.droppedAfterMs === null ? "" : ` after ${(s.droppedAfterMs / 1000).toFixed(1)} s`;
  return `dropped${after}, close ${s.closeCode ?? "?"}`;
}
