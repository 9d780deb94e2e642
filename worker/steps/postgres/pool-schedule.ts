import type { EarlyObject } from "./post-data-plan";
import type { CopyTable, Piece } from "./table-copy";

/** The table lock a statement takes, by PostgreSQL's numbering (ShareUpdateExclusive 4 … AccessExclusive 8). */
type LockMode = 4 | 5 | 6 | 8;
const ANALYZE: LockMode = 4; // ShareUpdateExclusive
const CREATE_INDEX: LockMode = 5; // Share
const ADD_FOREIGN_KEY: LockMode = 6; // ShareRowExclusive, on both tables
const ALTER_TABLE: LockMode = 8; // AccessExclusive

// PostgreSQL's conflict table, for the modes above.
const CONFLICTS: Record<LockMode, ReadonlySet<LockMode>> = {
  4: new Set<LockMode>([4, 5, 6, 8]),
  5: new Set<LockMode>([4, 6, 8]),
  6: new Set<LockMode>([4, 5, 6, 8]),
  8: new Set<LockMode>([4, 5, 6, 8]),
};

/** One statement on the target: an index build, a key attached or added, a foreign key validated. */
export interface BuildStep {
  object: EarlyObject;
  table: CopyTable;
  /** A foreign key's referenced table (locked too). */
  ref?: CopyTable;
  sql: string;
  lock: LockMode;
  /** What failed, for the error message. */
  what: string;
  /** Runs once this one is done (a key's ADD CONSTRAINT … USING INDEX after its index). */
  then?: BuildStep;
}

export type Task = { kind: "copy"; piece: Piece } | { kind: "build"; step: BuildStep } | { kind: "analyze"; table: CopyTable };

interface TableState {
  table: CopyTable;
  piecesLeft: number;
  /** Indexes and keys not yet complete (foreign keys wait for these on both their tables). */
  keysLeft: number;
  keys: EarlyObject[];
  foreignKeys: EarlyObject[];
  held: LockMode[];
}

export interface ScheduleEvents {
  /** Every piece of the table is in. */
  onTableLoaded(table: CopyTable): void;
  /** Its indexes and key constraints are built. */
  onKeysBuilt(table: CopyTable, count: number): void;
}

/**
 * The order of work for the lanes. Every COPY first, largest piece first. As each table's rows
 * are all in: its indexes, and its primary and unique keys built as unique indexes (so they run
 * side by side) and then attached; once both tables of a foreign key have their keys, the foreign
 * key; once a table's indexes exist, its ANALYZE (which then sees expression indexes). Costliest
 * first, and never two statements whose table locks would make one wait for the other, so a lane
 * that runs out of rows builds indexes instead of waiting for the last big table.
 */
export class Schedule {
  private readonly copies: Piece[];
  private ready: Task[] = [];
  private running = 0;
  private readonly tables = new Map<number, TableState>();
  private readonly waitingForeignKeys = new Set<EarlyObject>();

  constructor(
    pieces: Piece[],
    objects: EarlyObject[],
    private readonly events: ScheduleEvents,
    /** Tables whose ANALYZE must wait for the end (inheritance parents: their children may still load). */
    private readonly analyzeLater: ReadonlySet<number> = new Set(),
  ) {
    this.copies = [...pieces].sort((a, b) => b.bytes - a.bytes);
    for (const p of pieces) {
      const state = this.tables.get(p.table.oid) ?? { table: p.table, piecesLeft: 0, keysLeft: 0, keys: [], foreignKeys: [], held: [] };
      state.piecesLeft += 1;
      this.tables.set(p.table.oid, state);
    }
    for (const o of objects) {
      const state = this.tables.get(o.tableOid);
      if (!state || (o.refTableOid !== undefined && !this.tables.has(o.refTableOid))) throw new Error(`${o.name} belongs to a table that is not copied`);
      if (o.kind === "foreign-key") {
        state.foreignKeys.push(o);
        this.waitingForeignKeys.add(o);
      } else {
        state.keys.push(o);
        state.keysLeft += 1;
      }
    }
  }

  get copiesLeft(): number {
    return this.copies.length;
  }

  /** The next task, "wait" while running tasks may still release some, null when all is done. */
  take(): Task | "wait" | null {
    const copy = this.copies.shift();
    if (copy) return this.start({ kind: "copy", piece: copy });
    const i = this.ready.findIndex((t) => this.mayStart(t));
    if (i >= 0) return this.start(this.ready.splice(i, 1)[0]!);
    if (this.running > 0 || this.ready.length > 0) return "wait";
    if (this.waitingForeignKeys.size) throw new Error(`foreign keys never became ready: ${[...this.waitingForeignKeys].map((o) => o.name).join(", ")}`);
    return null;
  }

  finish(task: Task): void {
    this.running -= 1;
    if (task.kind === "copy") return this.pieceDone(this.state(task.piece.table));
    if (task.kind === "analyze") return this.release(task.table, ANALYZE);
    const { step } = task;
    this.release(step.table, step.lock);
    if (step.ref) this.release(step.ref, step.lock);
    if (step.then) return this.queue({ kind: "build", step: step.then });
    if (step.object.kind === "foreign-key") return;
    const state = this.state(step.table);
    if (--state.keysLeft === 0) this.keysDone(state);
  }

  private pieceDone(state: TableState) {
    if (--state.piecesLeft > 0) return;
    this.events.onTableLoaded(state.table);
    this.queue(...state.keys.map((o): Task => ({ kind: "build", step: buildSteps(o, state.table) })));
    if (state.keysLeft === 0) this.keysDone(state);
  }

  private keysDone(state: TableState) {
    if (state.keys.length) this.events.onKeysBuilt(state.table, state.keys.length);
    if (!this.analyzeLater.has(state.table.oid)) this.queue({ kind: "analyze", table: state.table });
    for (const fk of this.waitingForeignKeys) {
      const [table, ref] = [this.state(fk.tableOid), this.state(fk.refTableOid!)];
      if ([table, ref].some((s) => s.piecesLeft > 0 || s.keysLeft > 0)) continue;
      this.waitingForeignKeys.delete(fk);
      this.queue({ kind: "build", step: buildSteps(fk, table.table, ref.table) });
    }
  }

  private start(task: Task): Task {
    this.running += 1;
    for (const [table, mode] of locksOf(task)) this.state(table).held.push(mode);
    return task;
  }

  private release(table: CopyTable, mode: LockMode) {
    const held = this.state(table).held;
    held.splice(held.indexOf(mode), 1);
  }

  private mayStart(task: Task): boolean {
    return locksOf(task).every(([table, mode]) => !this.state(table).held.some((h) => CONFLICTS[mode].has(h)));
  }

  private state(t: CopyTable | number): TableState {
    return this.tables.get(typeof t === "number" ? t : t.oid)!;
  }

  // Builds before statistics, costliest first: the longest statements start earliest.
  private queue(...tasks: Task[]) {
    this.ready.push(...tasks);
    const rank = (t: Task) => (t.kind === "analyze" ? 1 : 0);
    this.ready.sort((a, b) => rank(a) - rank(b) || costOf(b) - costOf(a));
  }
}

function locksOf(task: Task): Array<[CopyTable, LockMode]> {
  if (task.kind === "copy") return [];
  if (task.kind === "analyze") return [[task.table, ANALYZE]];
  const { step } = task;
  return step.ref && step.ref.oid !== step.table.oid ? [[step.table, step.lock], [step.ref, step.lock]] : [[step.table, step.lock]];
}

function costOf(task: Task): number {
  if (task.kind === "copy") return task.piece.bytes;
  if (task.kind === "analyze") return task.table.rows;
  return task.step.table.rows + (task.step.ref?.rows ?? 0);
}

/** The statement(s) for one object: a key with a plain unique index becomes CREATE UNIQUE INDEX, then ADD CONSTRAINT … USING INDEX. */
export function buildSteps(object: EarlyObject, table: CopyTable, ref?: CopyTable): BuildStep {
  const tableName = `${table.schema}.${table.name}`;
  if (object.kind === "index") return { object, table, sql: object.sql, lock: CREATE_INDEX, what: `building index ${table.schema}.${object.name} on ${tableName}` };
  if (object.kind === "foreign-key") {
    const what = `adding foreign key ${object.name} to ${tableName} (references ${ref!.schema}.${ref!.name})`;
    return { object, table, ref, sql: object.sql, lock: ADD_FOREIGN_KEY, what };
  }
  const what = `adding constraint ${object.name} to ${tableName}`;
  if (!object.viaIndex) return { object, table, sql: object.sql, lock: ALTER_TABLE, what };
  // pg_restore's own SET lines for the entry (tablespace, access method) still apply to the index.
  const settings = object.sql.split("\n").filter((l) => /^SET [a-z_]+ = .*;$/.test(l));
  const attach: BuildStep = { object, table, sql: object.viaIndex.attach, lock: ALTER_TABLE, what };
  return { object, table, sql: [...settings, object.viaIndex.createIndex].join("\n"), lock: CREATE_INDEX, what: `building the unique index of ${object.name} on ${tableName}`, then: attach };
}
