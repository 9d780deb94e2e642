// Heroku Postgres transfers (backups and copies). Nothing is actually copied: a transfer is a
// record that completes at once with succeeded:true, enough for the CLI's polling loop.
import { randomUUID } from "node:crypto";
import { notFound } from "./errors";
import { type AddonRecord, type AppRecord, type EmulatorState, type TransferRecord, now } from "./state";

export interface TransferKind {
  fromName: string;
  fromType: string;
  toName: string;
  toType: string;
}

/** Transfers belong to the add-on's billing app and are numbered per app (b001, b002, ...). */
export function createTransfer(state: EmulatorState, addon: AddonRecord, kind: TransferKind, bytes: number): TransferRecord {
  const num = state.transfers.filter((t) => t.appId === addon.appId).length + 1;
  const transfer: TransferRecord = { uuid: randomUUID(), num, appId: addon.appId, addonId: addon.id, ...kind, processedBytes: bytes, createdAt: now() };
  state.transfers.push(transfer);
  return transfer;
}

/** The CLI prefers DATABASE when naming the backup source. */
export function sourceName(state: EmulatorState, addon: AddonRecord): string {
  const names = state.attachments.filter((a) => a.addonId === addon.id && a.appId === addon.appId).map((a) => a.name);
  return names.includes("DATABASE") ? "DATABASE" : (names[0] ?? addon.name);
}

export function transfersOfApp(state: EmulatorState, app: AppRecord): TransferRecord[] {
  return state.transfers.filter((t) => t.appId === app.id);
}

/** By uuid (any app, as pg:copy may poll through another app) or by number within the app. */
export function requireTransfer(state: EmulatorState, app: AppRecord, uuidOrNum: string): TransferRecord {
  const found = state.transfers.find((t) => t.uuid === uuidOrNum || (t.appId === app.id && String(t.num) === uuidOrNum));
  if (!found) throw notFound("transfer", "Couldn't find that backup or transfer.");
  return found;
}

export function transferJson(transfer: TransferRecord, verbose: boolean) {
  const at = transfer.createdAt;
  return {
    uuid: transfer.uuid, num: transfer.num,
    from_name: transfer.fromName, from_type: transfer.fromType, to_name: transfer.toName, to_type: transfer.toType,
    options: {}, source_bytes: transfer.processedBytes, processed_bytes: transfer.processedBytes,
    succeeded: true, warnings: 0, schedule: null,
    created_at: at, started_at: at, finished_at: at, updated_at: at, canceled_at: null, deleted_at: null, purged_at: null,
    ...(verbose ? { logs: [{ created_at: at, level: "info", message: "emulated transfer completed at once" }] } : {}),
  };
}
