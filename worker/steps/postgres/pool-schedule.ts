import type { EarlyObject } from "./post-data-plan";
import type { CopyTable, Piece } from "./table-copy";

export type Task =
  | { kind: "copy"; piece: Piece }
  | { kind: "object"; object: EarlyObject; table: CopyTable }
  | { kind: "analyze"; table: CopyTable };

interface TableState {
  table: CopyTable;
  piecesLeft: number;
  objects: EarlyObject[];
  objectsLeft: number;
  /** Indexes being built (they share the table); a key constraint runs alone (ALTER TABLE locks it exclusively). */
  sharedRunning: number;
  exclusiveRunning: boolean;
}

export interface ScheduleEvents {
  /** Every piece of the table is in. */
  onTableLoaded(table: CopyTable): void;
  /** Its indexes and key constraints are built. */
  onObjectsBuilt(table: CopyTable, count: number): void;
}

/**
 * The order of work for the lanes: every COPY first (largest piece first), then, table by table
 * as each one's rows are all in, its indexes and key constraints (largest table first; never two
 * that would wait on each other's lock), then its ANALYZE, which sees the expression indexes.
 * So lanes that run out of rows to copy build indexes instead of waiting for the last big table.
 */
export class Schedule {
  private readonly copies: Piece[];
  private ready: Task[] = [];
  private running = 0;
  private readonly tables = new Map<number, TableState>();

  constructor(
    pieces: Piece[],
    objects: EarlyObject[],
    private readonly events: ScheduleEvents,
    /** Tables whose ANALYZE must wait for the end (inheritance parents: their children may still load). */
    private readonly analyzeLater: ReadonlySet<number> = new Set(),
  ) {
    this.copies = [...pieces].sort((a, b) => b.bytes - a.bytes);
    for (const p of pieces) {
      const state = this.tables.get(p.table.oid) ?? { table: p.table, piecesLeft: 0, objects: [], objectsLeft: 0, sharedRunning: 0, exclusiveRunning: false };
      state.piecesLeft += 1;
      this.tables.set(p.table.oid, state);
    }
    for (const o of objects) {
      const state = this.tables.get(o.tableOid);
      if (!state) throw new Error(`index or constraint ${o.name} belongs to a table that is not copied`);
      state.objects.push(o);
      state.objectsLeft += 1;
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
    return this.running > 0 || this.ready.length > 0 ? "wait" : null;
  }

  finish(task: Task): void {
    this.running -= 1;
    if (task.kind === "copy") {
      const state = this.tables.get(task.piece.table.oid)!;
      state.piecesLeft -= 1;
      if (state.piecesLeft > 0) return;
      this.events.onTableLoaded(state.table);
      if (state.objects.length) this.queue(...state.objects.map((object): Task => ({ kind: "object", object, table: state.table })));
      else this.queueAnalyze(state.table);
    } else if (task.kind === "object") {
      const state = this.tables.get(task.table.oid)!;
      if (task.object.kind === "constraint") state.exclusiveRunning = false;
      else state.sharedRunning -= 1;
      state.objectsLeft -= 1;
      if (state.objectsLeft > 0) return;
      this.events.onObjectsBuilt(state.table, state.objects.length);
      this.queueAnalyze(state.table);
    }
  }

  private start(task: Task): Task {
    this.running += 1;
    if (task.kind === "object") {
      const state = this.tables.get(task.table.oid)!;
      if (task.object.kind === "constraint") state.exclusiveRunning = true;
      else state.sharedRunning += 1;
    }
    return task;
  }

  private mayStart(task: Task): boolean {
    if (task.kind !== "object") return true;
    const state = this.tables.get(task.table.oid)!;
    return task.object.kind === "constraint" ? !state.exclusiveRunning && state.sharedRunning === 0 : !state.exclusiveRunning;
  }

  private queueAnalyze(table: CopyTable) {
    if (!this.analyzeLater.has(table.oid)) this.queue({ kind: "analyze", table });
  }

  // Indexes before statistics, bigger tables first: the longest builds start earliest.
  private queue(...tasks: Task[]) {
    this.ready.push(...tasks);
    const rank = (t: Task) => (t.kind === "analyze" ? 1 : 0);
    const size = (t: Task) => (t.kind === "copy" ? t.piece.bytes : t.table.bytes);
    this.ready.sort((a, b) => rank(a) - rank(b) || size(b) - size(a));
  }
}
