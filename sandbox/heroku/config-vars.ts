// PATCH /apps/{app}/config-vars semantics: attachment-owned vars cannot be set or unset, and a
// request touching any of them is rejected whole.
import { invalidParams } from "./errors";
import { addRelease } from "./releases";
import { type AppRecord, type EmulatorState, type Released, attachmentVar, attachmentsOfApp, now } from "./state";

export type ConfigPatch = Record<string, string | null>;

export function assertNoAttachmentVars(state: EmulatorState, app: AppRecord, patch: ConfigPatch): void {
  const owned = new Set(attachmentsOfApp(state, app).map(attachmentVar));
  const clashes = Object.keys(patch).filter((key) => owned.has(key));
  if (clashes.length > 0) throw invalidParams(`Cannot overwrite attachment values ${clashes.join(", ")}.`);
}

/** "Set A, B config vars" / "Remove C config vars"; a mixed patch names both parts (our choice). */
export function describeConfigPatch(patch: ConfigPatch): string {
  const set = Object.keys(patch).filter((k) => patch[k] !== null);
  const removed = Object.keys(patch).filter((k) => patch[k] === null);
  if (removed.length === 0) return `Set ${set.join(", ")} config vars`;
  if (set.length === 0) return `Remove ${removed.join(", ")} config vars`;
  return `Set ${set.join(", ")} and remove ${removed.join(", ")} config vars`;
}

/** Applies the patch (null deletes) and records one release; an empty patch changes nothing. */
export function patchConfigVars(state: EmulatorState, app: AppRecord, patch: ConfigPatch): Released[] {
  assertNoAttachmentVars(state, app, patch);
  if (Object.keys(patch).length === 0) return [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete app.config[key];
    else app.config[key] = value;
  }
  app.updatedAt = now();
  return [addRelease(app, describeConfigPatch(patch))];
}
