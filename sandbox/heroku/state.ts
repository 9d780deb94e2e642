// The emulator's whole world as plain JSON-serialisable records, plus lookups and the
// effective-config rule. Mutating operations live in config-vars.ts, attachments.ts, ...
import { addonNotFound, appNotFound, attachmentNotFound } from "./errors";

export type ReleaseStatus = "pending" | "succeeded" | "failed";

export interface ReleaseRecord {
  id: string;
  version: number;
  description: string;
  status: ReleaseStatus;
  createdAt: string;
  updatedAt: string;
}

export interface FormationRecord {
  id: string;
  type: string;
  quantity: number;
  size: string;
  command: string;
  updatedAt: string;
}

export interface AppRecord {
  id: string;
  name: string;
  maintenance: boolean;
  createdAt: string;
  updatedAt: string;
  /** Plain config vars only; attachment vars are derived (see effectiveConfig). */
  config: Record<string, string>;
  formation: FormationRecord[];
  releases: ReleaseRecord[];
}

export interface AddonRecord {
  id: string;
  name: string;
  /** Billing app. */
  appId: string;
  plan: string;
  url: string;
  state: "provisioned";
  createdAt: string;
  updatedAt: string;
}

export interface AttachmentRecord {
  id: string;
  name: string;
  appId: string;
  addonId: string;
  namespace: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TransferRecord {
  uuid: string;
  num: number;
  appId: string;
  addonId: string;
  fromName: string;
  fromType: string;
  toName: string;
  toType: string;
  processedBytes: number;
  createdAt: string;
}

export interface EmulatorState {
  version: 1;
  apps: AppRecord[];
  addons: AddonRecord[];
  attachments: AttachmentRecord[];
  transfers: TransferRecord[];
}

/** A release an operation created, to be announced to the onRelease hook. */
export interface Released {
  app: AppRecord;
  release: ReleaseRecord;
}

export function emptyState(): EmulatorState {
  return { version: 1, apps: [], addons: [], attachments: [], transfers: [] };
}

export function now(): string {
  return new Date().toISOString();
}

export function findApp(state: EmulatorState, idOrName: string): AppRecord | undefined {
  return state.apps.find((a) => a.id === idOrName || a.name === idOrName);
}

export function requireApp(state: EmulatorState, idOrName: string): AppRecord {
  const app = findApp(state, idOrName);
  if (!app) throw appNotFound();
  return app;
}

export function findAddon(state: EmulatorState, idOrName: string): AddonRecord | undefined {
  return state.addons.find((a) => a.id === idOrName || a.name === idOrName);
}

export function requireAddon(state: EmulatorState, idOrName: string): AddonRecord {
  const addon = findAddon(state, idOrName);
  if (!addon) throw addonNotFound();
  return addon;
}

export function attachmentsOfApp(state: EmulatorState, app: AppRecord): AttachmentRecord[] {
  return state.attachments.filter((a) => a.appId === app.id);
}

/** Attachment on the app by id or (case-insensitive) name. */
export function requireAppAttachment(state: EmulatorState, app: AppRecord, idOrName: string): AttachmentRecord {
  const upper = idOrName.toUpperCase();
  const found = attachmentsOfApp(state, app).find((a) => a.id === idOrName || a.name === upper);
  if (!found) throw attachmentNotFound();
  return found;
}

export function attachmentVar(attachment: { name: string }): string {
  return `${attachment.name}_URL`;
}

/** Plain vars plus `<ATTACHMENT>_URL` for every attachment on the app; attachment vars win. */
export function effectiveConfig(state: EmulatorState, app: AppRecord): Record<string, string> {
  const config: Record<string, string> = { ...app.config };
  for (const attachment of attachmentsOfApp(state, app)) {
    config[attachmentVar(attachment)] = requireAddon(state, attachment.addonId).url;
  }
  return config;
}
