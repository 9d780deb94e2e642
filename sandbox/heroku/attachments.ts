// Attach / detach / destroy: the operations behind addons:attach, addons:detach, pg:promote and
// addons:destroy. Each returns the releases it created so the caller can announce them.
import { randomUUID } from "node:crypto";
import { attachmentPrefix, pickColorName } from "./colors";
import { attachmentNotFound, confirmationRequired, invalidParams } from "./errors";
import { addRelease } from "./releases";
import {
  type AddonRecord, type AppRecord, type AttachmentRecord, type EmulatorState, type Released,
  attachmentVar, attachmentsOfApp, now, requireAddon, requireApp,
} from "./state";

/**
 * What attaching does when the new `<NAME>_URL` equals a plain config var (unverified on real
 * Heroku): "confirm" = confirmation_required unless confirm == app name, which deletes the plain
 * var; "shadow" = attach silently, the attachment var wins while attached.
 */
export type PlainVarCollision = "confirm" | "shadow";

export interface AttachInput {
  addon: string;
  app: string;
  name?: string | null;
  confirm?: string | null;
  namespace?: string | null;
}

const NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

function nameIsTaken(state: EmulatorState, app: AppRecord, name: string): boolean {
  return attachmentsOfApp(state, app).some((a) => a.name === name) || Object.hasOwn(app.config, attachmentVar({ name }));
}

function chooseName(state: EmulatorState, app: AppRecord, addon: AddonRecord, name?: string | null): string {
  if (!name) return pickColorName(attachmentPrefix(addon.plan), (n) => nameIsTaken(state, app, n));
  const upper = name.toUpperCase();
  if (!NAME_PATTERN.test(upper)) {
    throw invalidParams("Name must start with a letter and contain only letters, digits and underscores.");
  }
  return upper;
}

/** Refused because an add-on must keep at least one attachment on the app that pays for it. */
function assertNotLastOnBillingApp(state: EmulatorState, attachment: AttachmentRecord): void {
  const addon = requireAddon(state, attachment.addonId);
  if (attachment.appId !== addon.appId) return;
  const others = state.attachments.some(
    (a) => a.id !== attachment.id && a.addonId === addon.id && a.appId === addon.appId,
  );
  // Status and id are unconfirmed for this refusal; 422 invalid_params matches the other
  // state-rule rejection (config vars).
  if (!others) throw invalidParams(`Cannot destroy last attachment to billing app for resource ${addon.name}`);
}

function removeAttachment(state: EmulatorState, attachment: AttachmentRecord): Released {
  state.attachments = state.attachments.filter((a) => a.id !== attachment.id);
  const app = requireApp(state, attachment.appId);
  const addon = requireAddon(state, attachment.addonId);
  return addRelease(app, `Detach ${attachment.name} (@ref:${addon.name})`);
}

function collisionMessage(app: AppRecord, name: string, existing?: AttachmentRecord): string {
  const what = existing ? `Attachment name ${name} is already used` : `Config var ${name}_URL is already set`;
  return `${what} on ${app.name}. To proceed, confirm with the app name ${app.name}.`;
}

export function attach(state: EmulatorState, input: AttachInput, collision: PlainVarCollision): {
  attachment: AttachmentRecord;
  released: Released[];
} {
  const app = requireApp(state, input.app);
  const addon = requireAddon(state, input.addon);
  const name = chooseName(state, app, addon, input.name);
  const existing = attachmentsOfApp(state, app).find((a) => a.name === name);
  const plainVar = collision === "confirm" && Object.hasOwn(app.config, attachmentVar({ name }));
  if ((existing || plainVar) && input.confirm !== app.name) {
    throw confirmationRequired(collisionMessage(app, name, existing));
  }
  const released: Released[] = [];
  if (existing) {
    if (existing.addonId !== addon.id) assertNotLastOnBillingApp(state, existing);
    released.push(removeAttachment(state, existing));
  }
  if (plainVar) delete app.config[attachmentVar({ name })];
  const at = now();
  const attachment: AttachmentRecord = {
    id: randomUUID(), name, appId: app.id, addonId: addon.id, namespace: input.namespace ?? null,
    createdAt: at, updatedAt: at,
  };
  state.attachments.push(attachment);
  released.push(addRelease(app, `Attach ${name} (@ref:${addon.name})`));
  return { attachment, released };
}

export function detach(state: EmulatorState, attachmentId: string): {
  attachment: AttachmentRecord;
  released: Released[];
} {
  const attachment = state.attachments.find((a) => a.id === attachmentId);
  if (!attachment) throw attachmentNotFound();
  assertNotLastOnBillingApp(state, attachment);
  return { attachment, released: [removeAttachment(state, attachment)] };
}

/** Removes the add-on and every attachment (and so every `<NAME>_URL`) it has on any app. */
export function destroyAddon(state: EmulatorState, addon: AddonRecord): Released[] {
  const released = state.attachments.filter((a) => a.addonId === addon.id).map((a) => removeAttachment(state, a));
  state.addons = state.addons.filter((a) => a.id !== addon.id);
  return released;
}
