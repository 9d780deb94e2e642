// `npm run bench:copy [-- --scale MB --runs R --jobs N]`: times Switchyard's copy against the
// ways an operator would copy by hand, on two local PostgreSQL servers, and writes
// bench/results/copy.json. Not a test: numbers depend on the machine.
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { connect } from "@/lib/pg/connect";
import { withDatabase } from "@/lib/pg/url";
import { loadCredentials } from "@/sandbox/credentials";
import { startSandboxDatabases, type SandboxDatabases } from "@/sandbox/databases";
import { seedSourceDatabase } from "@/sandbox/dataset";
import { ownedDatabase } from "@/sandbox/platform-roles";
import { memoryLogger } from "@/worker/engine/step-logger";
import { copyDatabase, dumpArgs, restoreArgs } from "@/worker/steps/postgres/copy";
import { createPassfile, urlWithoutPassword } from "@/worker/steps/postgres/passfile";
import { toolEnv } from "@/worker/steps/postgres/tool-env";
import { median, numericFlags, round } from "./bench/cli-args";

const USAGE = "npm run bench:copy -- [--scale MB (1024)] [--runs R (5)] [--jobs N (cores)]";
const flags = numericFlags(process.argv.slice(2), { scale: 1024, runs: 5, jobs: os.availableParallelism() }, USAGE);
const PORTS = { source: 27611, target: 27612 };
/** Where method a spent its time, per run: to see what to tune. */
const phases: Array<Record<string, number>> = [];

type Method = { key: string; label: string; run: (ctx: RunCtx) => Promise<void> };
interface RunCtx {
  sourceUrl: string;
  targetUrl: string;
  work: string;
  /** A tool's environment for the side it talks to (TLS settings from that side's URL). */
  envFor: (url?: string) => NodeJS.ProcessEnv;
  jobs: number;
}

function sh(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${err.trim()}`))));
  });
}

const METHODS: Method[] = [
  {
    key: "a",
    label: "Switchyard copy step (streamed COPY, parallel)",
    run: async (c) => {
      const r = await copyDatabase({ sourceUrl: c.sourceUrl, targetUrl: c.targetUrl, jobs: c.jobs, workDir: c.work, log: memoryLogger() });
      phases.push({ schemaMs: r.schemaMs, dataMs: r.dataMs, postDataMs: r.postDataMs });
    },
  },
  {
    key: "b",
    label: "classic runbook: pg_dump -x -O > file; psql < file",
    run: async (c) => {
      const file = path.join(c.work, "dump.sql");
      // As an operator pastes them: the URLs as given, TLS parameters and all.
      await sh("pg_dump", ["-x", "-O", "-f", file, "--dbname", urlWithoutPassword(c.sourceUrl)], c.envFor());
      await sh("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file, "--dbname", urlWithoutPassword(c.targetUrl)], c.envFor());
    },
  },
  {
    key: "c",
    label: "pg_dump -Fd -Z0 -j N + pg_restore -j N",
    run: async (c) => {
      const dir = path.join(c.work, "dump-dir");
      await sh("pg_dump", dumpArgs(c.sourceUrl, dir, c.jobs), c.envFor(c.sourceUrl));
      await sh("pg_restore", restoreArgs(c.targetUrl, dir, c.jobs), c.envFor(c.targetUrl));
    },
  },
  {
    key: "d",
    label: "pgcopydb clone (table and index jobs N)",
    run: async (c) => {
      const args = ["clone", "--source", urlWithoutPassword(c.sourceUrl), "--target", urlWithoutPassword(c.targetUrl), "--dir", path.join(c.work, "pgcopydb")];
      await sh("pgcopydb", [...args, "--table-jobs", String(c.jobs), "--index-jobs", String(c.jobs), "--no-owner", "--no-acl"], c.envFor());
    },
  },
];

function installed(tool: string): boolean {
  try {
    execFileSync("which", [tool], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = await connect(url);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Exact row counts of every user table, to check each method copied everything. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const tables = await query<{ t: string }>(url, "SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables ORDER BY 1");
  const counts: Record<string, number> = {};
  for (const { t } of tables) counts[t] = Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM ${t}`))[0]!.n);
  return counts;
}

// A new database owned by the RDS-like master user, reached with verify-full like the sandbox's target.
async function freshTarget(dbs: SandboxDatabases): Promise<string> {
  await query(dbs.target.adminUrl, "DROP DATABASE IF EXISTS bench_target WITH (FORCE)");
  const url = new URL(await ownedDatabase(dbs.target.adminUrl, { ...dbs.targetRole, database: "bench_target" }));
  for (const [k, v] of new URL(dbs.targetUrl).searchParams) url.searchParams.set(k, v);
  return url.toString();
}

async function main() {
  const methods = METHODS.filter((m) => m.key !== "d" || installed("pgcopydb"));
  const skipped = METHODS.length - methods.length ? "pgcopydb is not installed (Debian: apt-get install pgcopydb); method d skipped" : null;
  if (skipped) console.log(skipped);
  const home = await mkdtemp(path.join(os.tmpdir(), "switchyard-bench-copy-"));
  let dbs: SandboxDatabases | undefined;
  const cleanup = async () => {
    await dbs?.stop().catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));
  try {
    // The sandbox's world, durable: TLS-only servers, Heroku's non-superuser app role on the source
    // (extensions made by the platform), an RDS-like master user owning each fresh target.
    dbs = await startSandboxDatabases(home, PORTS, await loadCredentials(home), { fast: false });
    const sourceUrl = dbs.sourceUrl;
    console.log(`building the sandbox dataset at ${flags.scale} MB…`);
    const seeded = Date.now();
    await seedSourceDatabase(sourceUrl, { scaleMb: flags.scale });
    // The hand-run peers replay CREATE EXTENSION as the target's user, who may not create this
    // untrusted one (Switchyard leaves it out, unused); without it every method copies the same.
    await query(withDatabase(dbs.source.adminUrl, "heroku_db"), "DROP EXTENSION pg_stat_statements");
    const sizeBytes = Number((await query<{ n: string }>(sourceUrl, "SELECT pg_database_size(current_database()) AS n"))[0]!.n);
    console.log(`source: ${(sizeBytes / 1e6).toFixed(0)} MB in ${((Date.now() - seeded) / 1000).toFixed(0)} s; ${flags.runs} rounds of ${methods.map((m) => m.key).join(", ")}, jobs ${flags.jobs}`);
    const expected = await rowCounts(sourceUrl);
    const times: Record<string, number[]> = Object.fromEntries(methods.map((m) => [m.key, []]));
    for (let round = 1; round <= flags.runs; round++) {
      for (const m of methods) {
        const targetUrl = await freshTarget(dbs);
        const work = await mkdtemp(path.join(home, "work-"));
        const passfile = await createPassfile([sourceUrl, targetUrl]);
        try {
          const started = process.hrtime.bigint();
          await m.run({ sourceUrl, targetUrl, work, envFor: (url) => toolEnv(passfile.path, url), jobs: flags.jobs });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const got = await rowCounts(targetUrl);
          const wrong = Object.keys(expected).filter((t) => got[t] !== expected[t]);
          if (wrong.length) throw new Error(`method ${m.key} copied wrong row counts for ${wrong.join(", ")}`);
          times[m.key]!.push(seconds);
          console.log(`round ${round}: ${m.key} ${seconds.toFixed(2)} s (row counts verified)`);
        } finally {
          await passfile.remove();
          await rm(work, { recursive: true, force: true });
        }
      }
    }
    await report(methods, times, sizeBytes, skipped);
  } finally {
    await cleanup();
  }
}

async function report(methods: Method[], times: Record<string, number[]>, sizeBytes: number, skipped: string | null) {
  const stats = Object.fromEntries(
    methods.map((m) => [m.key, { label: m.label, medianS: round(median(times[m.key]!)), minS: round(Math.min(...times[m.key]!)), maxS: round(Math.max(...times[m.key]!)), runsS: times[m.key]!.map((t) => round(t)) }]),
  );
  const ratio = (other: string) => (stats[other] ? round(stats.a!.medianS / stats[other]!.medianS, 3) : null);
  const ratios = { "a/b": ratio("b"), "a/c": ratio("c"), "a/d": ratio("d") };
  const targets = { "a/b": 0.65, "a/c": 1.05, "a/d": 1.0 };
  const meets = Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, v === null ? null : v <= targets[k as keyof typeof targets]]));
  const pgVersion = execFileSync("pg_dump", ["--version"], { encoding: "utf8" }).trim();
  const result = {
    at: new Date().toISOString(),
    machine: { cores: os.availableParallelism(), memoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, tools: pgVersion },
    dataset: { scaleMb: flags.scale, sourceBytes: sizeBytes },
    jobs: flags.jobs,
    runs: flags.runs,
    methods: stats,
    phasesOfA: phases,
    ratios,
    targets,
    meets,
    notes: skipped ? [skipped] : [],
  };
  await mkdir("bench/results", { recursive: true });
  await writeFile("bench/results/copy.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log("\nmethod  median s   min s    max s   what");
  for (const m of methods) {
    const s = stats[m.key]!;
    console.log(`${m.key.padEnd(6)}  ${s.medianS.toFixed(2).padStart(8)}  ${s.minS.toFixed(2).padStart(6)}  ${s.maxS.toFixed(2).padStart(7)}   ${s.label}`);
  }
  console.log(`a by phase (ms): ${phases.map((p) => JSON.stringify(p)).join(" ")}`);
  console.log(`\nratios: ${Object.entries(ratios).map(([k, v]) => `${k} = ${v ?? "n/a"} (target ≤ ${targets[k as keyof typeof targets]}${v === null ? "" : meets[k] ? ", met" : ", NOT met"})`).join("; ")}`);
  console.log("written to bench/results/copy.json");
}

main().catch((err: unknown) => {
  console.error(`bench:copy failed: ${(err as Error).message}`);
  process.exit(1);
});
