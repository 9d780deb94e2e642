// The two resolver actions the CLI uses to turn a user's argument (attachment name, `NAME_URL`,
// id, add-on name, `app::name`) into attachments or add-ons.
import { addonNotFound, attachmentNotFound } from "./errors";
import {
  type AddonRecord, type AttachmentRecord, type EmulatorState, attachmentVar, attachmentsOfApp, findAddon,
  requireAddon, requireApp,
} from "./state";

function splitAppPrefix(arg: string, app?: string | null): { app?: string; name: string } {
  const at = arg.indexOf("::");
  if (at < 0) return { app: app ?? undefined, name: arg };
  return { app: arg.slice(0, at), name: arg.slice(at + 2) };
}

function attachmentCandidates(state: EmulatorState, app?: string): AttachmentRecord[] {
  return app ? attachmentsOfApp(state, requireApp(state, app)) : state.attachments;
}

function matchesAttachment(attachment: AttachmentRecord, name: string): boolean {
  const upper = name.toUpperCase();
  return attachment.id === name || attachment.name === upper || attachmentVar(attachment) === upper;
}

/** An attachment match wins; otherwise an add-on name/id yields all its attachments on the app. */
export function resolveAttachments(state: EmulatorState, arg: string, appName?: string | null): AttachmentRecord[] {
  const { app, name } = splitAppPrefix(arg, appName);
  const pool = attachmentCandidates(state, app);
  const direct = pool.filter((a) => matchesAttachment(a, name));
  if (direct.length > 0) return direct;
  const addon = findAddon(state, name);
  const viaAddon = addon ? pool.filter((a) => a.addonId === addon.id) : [];
  if (viaAddon.length === 0) throw attachmentNotFound();
  return viaAddon;
}

/** An add-on name/id wins; otherwise the add-ons behind matching attachments on the app. */
export function resolveAddons(state: EmulatorState, arg: string, appName?: string | null): AddonRecord[] {
  const { app, name } = splitAppPrefix(arg, appName);
  const addon = findAddon(state, name);
  if (addon) return [addon];
  const ids = new Set(attachmentCandidates(state, app).filter((a) => matchesAttachment(a, name)).map((a) => a.addonId));
  if (ids.size === 0) throw addonNotFound();
  return [...ids].map((id) => requireAddon(state, id));
}
