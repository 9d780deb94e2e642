import { z } from "zod";
import { parseEnv } from "./parse";
import { postgresUrl, secretKey } from "./fields";
import { parsePreviousKeys } from "@/lib/security/keyring";

type Source = Record<string, string | undefined>;

/** Comma-separated old keys; the error names the entry by position, never echoing a key. */
const previousSecretKeys = z.string().superRefine((value, ctx) => {
  try {
    parsePreviousKeys(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
  }
});

const AuditVerifyEnv = z.object({ DATABASE_URL: postgresUrl });
export type AuditVerifyEnv = z.infer<typeof AuditVerifyEnv>;

const RotateSecretsEnv = z.object({
  DATABASE_URL: postgresUrl,
  /** The key every secret is re-sealed with. */
  SWITCHYARD_SECRET_KEY: secretKey,
  /** The keys being retired, so the secrets they sealed can be opened once more. */
  SWITCHYARD_PREVIOUS_SECRET_KEYS: previousSecretKeys.optional(),
});
export type RotateSecretsEnv = z.infer<typeof RotateSecretsEnv>;

// The operator commands share this module; each names itself as its npm script is called,
// so a configuration error says which command refused to start.

/** `npm run audit:verify`. */
export function auditVerifyEnv(source: Source = process.env): AuditVerifyEnv {
  return parseEnv("audit:verify", AuditVerifyEnv, source);
}

/** `npm run secrets:rotate`. */
export function rotateSecretsEnv(source: Source = process.env): RotateSecretsEnv {
  return parseEnv("secrets:rotate", RotateSecretsEnv, source);
}
