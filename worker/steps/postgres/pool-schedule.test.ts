import { describe, expect, it } from "vitest";
import type { EarlyObject } from "./post-data-plan";
import { Schedule, type Task } from "./pool-schedule";
import { planPieces, type CopyTable } from "./table-copy";

const MB = 1024 * 1024;
const table = (oid: number, name: string, mb: number): CopyTable => ({
  oid,
  schema: "public",
  name,
  bytes: mb * MB,
  rows: mb * 10_000,
  heapPages: (mb * MB) / 8192,
  columns: ["id"],
  binary: true,
  hasChildren: false,
});
const entry = { dumpId: 0, classOid: 0, oid: 0, line: "" };
const index = (tableOid: number, name: string): EarlyObject => ({ entry, kind: "index", tableOid, name, sql: `CREATE INDEX ${name}` });
const key = (tableOid: number, name: string): EarlyObject => ({
  entry,
  kind: "constraint",
  tableOid,
  name,
  sql: `SET default_tablespace = '';\nALTER TABLE … ADD CONSTRAINT ${name}`,
  viaIndex: { createIndex: `CREATE UNIQUE INDEX ${name}`, attach: `ALTER TABLE … USING INDEX ${name}` },
});
const exclusion = (tableOid: number, name: string): EarlyObject => ({ entry, kind: "constraint", tableOid, name, sql: `ALTER TABLE … EXCLUDE ${name}` });
const foreignKey = (tableOid: number, refTableOid: number, name: string): EarlyObject => ({ entry, kind: "foreign-key", tableOid, refTableOid, name, sql: `FK ${name}` });

const label = (t: Task | "wait" | null) =>
  t === null || t === "wait" ? t : t.kind === "copy" ? `copy ${t.piece.table.name}${t.piece.blocks ? `@${t.piece.blocks.from}` : ""}` : t.kind === "build" ? t.step.sql : `analyze ${t.table.name}`;
const take = (s: Schedule) => s.take() as Task;

describe("planPieces", () => {
  it("cuts a table that dominates the database into block ranges, the last one open-ended", () => {
    const tables = [table(1, "documents", 400), table(2, "orders", 70), table(3, "tiny", 1)];
    const pieces = planPieces(tables, { jobs: 2, canSplit: true, minPieceBytes: 16 * MB });
    const docs = pieces.filter((p) => p.table.name === "documents").map((p) => p.blocks);
    expect(docs).toHaveLength(7);
    expect(docs[0]).toEqual({ from: 0, to: 7315 });
    expect(docs.map((b) => b!.to).filter((to) => to === null)).toHaveLength(1);
    expect(pieces.filter((p) => p.table.name !== "documents").map((p) => p.blocks)).toEqual([null, null]);
    expect(pieces.map((p) => p.bytes)).toEqual([...pieces.map((p) => p.bytes)].sort((a, b) => b - a));
  });

  it("keeps tables whole on one lane, below the smallest piece, or on a server without TID range scans", () => {
    const tables = [table(1, "documents", 400), table(2, "orders", 70)];
    expect(planPieces(tables, { jobs: 1, canSplit: true, minPieceBytes: 16 * MB })).toHaveLength(2);
    expect(planPieces(tables, { jobs: 2, canSplit: false, minPieceBytes: 16 * MB })).toHaveLength(2);
    expect(planPieces(tables, { jobs: 2, canSplit: true, minPieceBytes: 1024 * MB })).toHaveLength(2);
  });
});

describe("Schedule", () => {
  const noEvents = { onTableLoaded: () => undefined, onKeysBuilt: () => undefined };

  it("copies first; builds a table's indexes and keys side by side once all its rows are in, attaches keys alone, then ANALYZE", () => {
    const big = table(1, "big", 100);
    const small = table(2, "small", 10);
    const pieces = [
      { table: big, blocks: { from: 0, to: 100 }, bytes: 50 * MB },
      { table: big, blocks: { from: 100, to: null }, bytes: 50 * MB },
      { table: small, blocks: null, bytes: 10 * MB },
    ];
    const events: string[] = [];
    const s = new Schedule(pieces, [key(1, "big_pkey"), index(1, "big_a_idx"), index(2, "small_idx")], {
      onTableLoaded: (t) => events.push(`loaded ${t.name}`),
      onKeysBuilt: (t, n) => events.push(`built ${t.name} ${n}`),
    });
    const [a, b, c] = [take(s), take(s), take(s)];
    expect([a, b, c].map(label)).toEqual(["copy big@0", "copy big@100", "copy small"]);
    expect(label(s.take())).toBe("wait");
    s.finish(c);
    expect(events).toEqual(["loaded small"]);
    expect(label(s.take())).toBe("CREATE INDEX small_idx");
    s.finish(a);
    expect(label(s.take())).toBe("wait"); // big still has a range streaming
    s.finish(b);
    const unique = take(s);
    const other = take(s);
    expect([unique, other].map(label)).toEqual(["SET default_tablespace = '';\nCREATE UNIQUE INDEX big_pkey", "CREATE INDEX big_a_idx"]);
    s.finish(unique);
    expect(label(s.take())).toBe("wait"); // ADD CONSTRAINT … USING INDEX locks big: it waits for the other build
    s.finish(other);
    const attach = take(s);
    expect(label(attach)).toBe("ALTER TABLE … USING INDEX big_pkey");
    expect(label(s.take())).toBe("wait");
    s.finish(attach);
    expect(events).toEqual(["loaded small", "loaded big", "built big 2"]);
    expect(label(s.take())).toBe("analyze big");
  });

  it("runs an exclusion constraint alone, and a foreign key once both its tables have their keys, never beside their builds", () => {
    const orders = table(1, "orders", 50);
    const customers = table(2, "customers", 5);
    const s = new Schedule(
      [
        { table: orders, blocks: null, bytes: 50 * MB },
        { table: customers, blocks: null, bytes: 5 * MB },
      ],
      [exclusion(1, "orders_excl"), index(1, "orders_idx"), key(2, "customers_pkey"), foreignKey(1, 2, "orders_customer_fkey")],
      noEvents,
    );
    const [copyOrders, copyCustomers] = [take(s), take(s)];
    s.finish(copyOrders);
    const excl = take(s);
    expect(label(excl)).toBe("ALTER TABLE … EXCLUDE orders_excl"); // the costlier table first
    expect(label(s.take())).toBe("wait"); // orders_idx waits for the exclusive lock
    s.finish(copyCustomers);
    const customersKey = take(s);
    expect(label(customersKey)).toBe("SET default_tablespace = '';\nCREATE UNIQUE INDEX customers_pkey");
    s.finish(excl);
    const ordersIdx = take(s);
    expect(label(ordersIdx)).toBe("CREATE INDEX orders_idx");
    s.finish(ordersIdx);
    const analyzeOrders = take(s);
    expect(label(analyzeOrders)).toBe("analyze orders");
    s.finish(analyzeOrders);
    s.finish(customersKey);
    // customers_pkey's attach; only then the foreign key, before the remaining statistics.
    const rest: string[] = [];
    for (let t = s.take(); t !== null; t = s.take()) {
      if (t === "wait") throw new Error("nothing should wait here: each task is finished at once");
      rest.push(label(t)!);
      s.finish(t);
    }
    expect(rest).toEqual(["ALTER TABLE … USING INDEX customers_pkey", "FK orders_customer_fkey", "analyze customers"]);
  });

  it("leaves an inheritance parent's ANALYZE for the end and ends with null", () => {
    const parent = table(1, "parent", 1);
    const s = new Schedule([{ table: parent, blocks: null, bytes: MB }], [], noEvents, new Set([1]));
    s.finish(take(s));
    expect(s.take()).toBeNull();
  });
});
