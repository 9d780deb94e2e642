// Process formation: quantities and sizes per process type. Scaling is not a release; it is
// announced to the onFormation hook so the dyno manager can start or stop dynos.
import { randomUUID } from "node:crypto";
import { invalidParams, notFound } from "./errors";
import { type AppRecord, type FormationRecord, now } from "./state";

export const DYNO_SIZES = [
  "eco", "basic", "standard-1X", "standard-2X", "performance-M", "performance-L", "performance-L-RAM",
  "performance-XL", "performance-2XL", "private-S", "private-M", "private-L", "shield-S", "shield-M", "shield-L",
] as const;

export const DEFAULT_DYNO_SIZE = "standard-1X";

export interface FormationUpdate {
  type: string;
  quantity?: number;
  size?: string;
}

/** Heroku accepts sizes in any letter case ("Standard-1x"); we store the canonical spelling. */
export function canonicalSize(size: string): string {
  const found = DYNO_SIZES.find((s) => s.toLowerCase() === size.toLowerCase());
  if (!found) throw invalidParams(`Unknown dyno size ${size}. Use one of: ${DYNO_SIZES.join(", ")}.`);
  return found;
}

export function newFormation(type: string, quantity: number, size = DEFAULT_DYNO_SIZE): FormationRecord {
  const command = type === "web" ? "npm start" : `npm run ${type}`;
  return { id: randomUUID(), type, quantity, size: canonicalSize(size), command, updatedAt: now() };
}

export function requireFormation(app: AppRecord, typeOrId: string): FormationRecord {
  const found = app.formation.find((f) => f.type === typeOrId || f.id === typeOrId);
  if (!found) throw notFound("formation", `Couldn't find that process type (${typeOrId}).`);
  return found;
}

/** Validates every update before applying any, so a bad entry changes nothing. */
export function scaleFormation(app: AppRecord, updates: FormationUpdate[]): FormationRecord[] {
  const planned = updates.map((u) => ({
    record: requireFormation(app, u.type),
    quantity: u.quantity,
    size: u.size === undefined ? undefined : canonicalSize(u.size),
  }));
  for (const { record, quantity, size } of planned) {
    if (quantity !== undefined) record.quantity = quantity;
    if (size !== undefined) record.size = size;
    record.updatedAt = now();
  }
  return planned.map((p) => p.record);
}

/** Process names a restart touches: all running types, one type, or one dyno (`web.1`). */
export function restartTargets(app: AppRecord, target?: string): string[] {
  if (target === undefined) return app.formation.filter((f) => f.quantity > 0).map((f) => f.type);
  const [type, index] = target.split(".");
  const record = app.formation.find((f) => f.type === type);
  const n = index === undefined ? undefined : Number(index);
  if (!record || (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= record.quantity))) {
    throw notFound("dyno", `Couldn't find that dyno (${target}).`);
  }
  return [target];
}
