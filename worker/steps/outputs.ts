import { CORE_KEYS } from "@/lib/steps/core-plan";
import type { DowntimeEstimate } from "@/lib/run/downtime-estimate";
import { readSecret } from "@/lib/security/secret-store";
import type { StepContext } from "./types";

/** The memoized output of an earlier step of this run, or an error naming what is missing. */
export function outputOf<T>(ctx: StepContext, key: string): T {
  const output = ctx.outputs[key];
  if (output === undefined) throw new Error(`step ${key} has not completed in this run`);
  return output as T;
}

export interface PreflightOutput {
  appId: string;
  addonId: string;
  addonName: string;
  databaseAttachmentId: string;
  attachmentNames: string[];
  /** The source DATABASE_URL, sealed: step outputs are stored in the clear. */
  sourceUrlSecretId: string;
  sourceBytes: number;
  estimatedCopyMs: number;
  /** The maintenance-page time the live steps should take, step by step. */
  estimatedDowntime: DowntimeEstimate;
}

/** The source database URL recorded at preflight, opened for this step and registered for redaction. */
export async function sourceUrl(ctx: StepContext): Promise<string> {
  const pre = outputOf<PreflightOutput>(ctx, CORE_KEYS.preflight);
  const url = await readSecret(ctx.db, ctx.secretKey, pre.sourceUrlSecretId);
  registerUrl(ctx, url);
  return url;
}

export function registerUrl(ctx: StepContext, url: string): void {
  ctx.registerSecret(url);
  const password = new URL(url).password;
  if (password) ctx.registerSecret(decodeURIComponent(password));
}
