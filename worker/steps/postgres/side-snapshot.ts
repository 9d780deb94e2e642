import type pg from "pg";
import { countObjects, listSequences, listTables, type ObjectCounts } from "./catalog";
import { connect, qualified } from "./client";

export interface SequenceState {
  lastValue: string;
  isCalled: boolean;
}

/** What verification reads from one database. */
export interface SideSnapshot {
  objects: ObjectCounts;
  rows: Map<string, number>;
  sequences: Map<string, SequenceState>;
}

const COUNT_CONNECTIONS = 2;
const SEQUENCES_PER_QUERY = 100;

/** Exact row counts of every table (two connections at a time), sequences and object counts. */
export async function readSide(url: string, signal?: AbortSignal, snapshot?: string): Promise<SideSnapshot> {
  const clients = await Promise.all(Array.from({ length: COUNT_CONNECTIONS }, () => connect(url)));
  try {
    if (snapshot) for (const client of clients) await useSnapshot(client, snapshot);
    const [first] = clients as [pg.Client];
    const objects = await countObjects(first);
    const tables = await listTables(first);
    const names = tables.map((t) => `${t.schema}.${t.name}`);
    const counts = await inParallel(clients, tables, async (client, t) => {
      if (signal?.aborted) throw new Error("verification was cancelled");
      const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ONLY ${qualified(t.schema, t.name)}`);
      return Number(rows[0]!.n);
    });
    return { objects, rows: new Map(names.map((n, i) => [n, counts[i]!])), sequences: await readSequences(first) };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

/** Reads as of an exported snapshot (a live source keeps changing while it is compared). */
async function useSnapshot(client: pg.Client, snapshot: string): Promise<void> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  await client.query(`SET TRANSACTION SNAPSHOT ${client.escapeLiteral(snapshot)}`);
}

async function readSequences(client: pg.Client): Promise<Map<string, SequenceState>> {
  const sequences = await listSequences(client);
  const states = new Map<string, SequenceState>();
  for (let i = 0; i < sequences.length; i += SEQUENCES_PER_QUERY) {
    const chunk = sequences.slice(i, i + SEQUENCES_PER_QUERY);
    const sql = chunk
      .map((s, j) => `SELECT ${i + j} AS i, last_value::text AS last_value, is_called FROM ${qualified(s.schema, s.name)}`)
      .join(" UNION ALL ");
    const { rows } = await client.query<{ i: number; last_value: string; is_called: boolean }>(sql);
    for (const row of rows) {
      const s = sequences[row.i]!;
      states.set(`${s.schema}.${s.name}`, { lastValue: row.last_value, isCalled: row.is_called });
    }
  }
  return states;
}

/** Runs fn over items with one worker per client, keeping results in item order. */
async function inParallel<T, R>(clients: pg.Client[], items: readonly T[], fn: (c: pg.Client, item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(client, items[i]!);
      }
    }),
  );
  return results;
}

/** The value nextval() would hand out next: what must not go backwards on the target. */
export function nextValue(state: SequenceState): bigint {
  return BigInt(state.lastValue) + (state.isCalled ? 1n : 0n);
}
