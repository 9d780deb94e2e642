import type { StepLogger } from "@/worker/engine/step-logger";
import { describeCounts, type ObjectCounts } from "./catalog";
import { textTable } from "./format";
import { nextValue, readSide, type SequenceState, type SideSnapshot } from "./side-snapshot";

export type { SequenceState } from "./side-snapshot";

export interface VerifyOptions {
  sourceUrl: string;
  targetUrl: string;
  log: StepLogger;
  signal?: AbortSignal;
  /** Compare against this exported snapshot of the source instead of its current state. */
  sourceSnapshot?: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Exact row counts; null where the table does not exist on that side. */
  tables: Array<{ table: string; source: number | null; target: number | null }>;
  sequences: Array<{ sequence: string; source: SequenceState | null; target: SequenceState | null }>;
  objects: { source: ObjectCounts; target: ObjectCounts };
  differences: string[];
}

const COMPARED_KINDS = ["tables", "indexes", "constraints", "views", "functions"] as const;

/** Compares source and target after a copy: every table's exact count, sequences, object counts. */
export async function verifyCopy(opts: VerifyOptions): Promise<VerifyResult> {
  opts.log.info("verify: counting every table's rows on both sides");
  const [source, target] = await Promise.all([readSide(opts.sourceUrl, opts.signal, opts.sourceSnapshot), readSide(opts.targetUrl, opts.signal)]);
  const tables = pair(source.rows, target.rows).map(([table, s, t]) => ({ table, source: s, target: t }));
  // Sequence values are not transactional: against a snapshot of a live source they can only be
  // checked to exist, not compared.
  const sequences = pair(source.sequences, target.sequences).map(([sequence, s, t]) => ({ sequence, source: opts.sourceSnapshot && t ? t : s, target: t }));
  const differences = [...tableDifferences(tables), ...sequenceDifferences(sequences), ...objectDifferences(source, target)];
  const result = { ok: differences.length === 0, tables, sequences, objects: { source: source.objects, target: target.objects }, differences };
  logResult(result, opts.log);
  return result;
}

/** Every key of either map, sorted, with both sides' values (null when absent). */
function pair<V>(a: Map<string, V>, b: Map<string, V>): Array<[string, V | null, V | null]> {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.map((k) => [k, a.get(k) ?? null, b.get(k) ?? null]);
}

function tableDifferences(tables: VerifyResult["tables"]): string[] {
  return tables.flatMap(({ table, source, target }) => {
    if (target === null) return [`table ${table} is missing on the target`];
    if (source === null) return [`table ${table} exists only on the target`];
    return source === target ? [] : [`table ${table}: source has ${source} rows, target has ${target}`];
  });
}

function sequenceDifferences(sequences: VerifyResult["sequences"]): string[] {
  return sequences.flatMap(({ sequence, source, target }) => {
    if (target === null) return [`sequence ${sequence} is missing on the target`];
    if (source === null) return []; // an extra sequence on the target cannot hand out a duplicate id
    if (nextValue(target) >= nextValue(source)) return [];
    return [`sequence ${sequence}: target would hand out ${nextValue(target)} next, behind the source's ${nextValue(source)}`];
  });
}

function objectDifferences(source: SideSnapshot, target: SideSnapshot): string[] {
  return COMPARED_KINDS.filter((k) => source.objects[k] !== target.objects[k]).map(
    (k) => `${k}: source has ${source.objects[k]}, target has ${target.objects[k]}`,
  );
}

function logResult(result: VerifyResult, log: StepLogger): void {
  const rows = result.tables.reduce((sum, t) => sum + (t.source ?? 0), 0);
  if (result.ok) {
    log.info(
      `verify: all ${result.tables.length} tables match (${rows} rows), ${result.sequences.length} sequences at or ahead of the source, objects match (${describeCounts(result.objects.source, COMPARED_KINDS)})`,
    );
    return;
  }
  log.info(`verify: ${result.differences.length} difference(s) between source and target`);
  const mismatched = result.tables.filter((t) => t.source !== t.target);
  const show = (n: number | null) => (n === null ? "missing" : String(n));
  if (mismatched.length) for (const line of textTable(["table", "source rows", "target rows"], mismatched.map((t) => [t.table, show(t.source), show(t.target)]))) log.info(line);
  for (const difference of result.differences) log.info(`difference: ${difference}`);
}
