import type { z } from "zod";

/** A start-up configuration problem; its message is one line naming the variable and what to fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Source = Record<string, string | undefined>;

/** Parses a process's environment once; the first problem becomes a one-line ConfigError. */
export function parseEnv<T extends z.ZodType>(processName: string, schema: T, source: Source): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = issue.path.map(String).join(".") || "environment";
  const message = issue.code === "invalid_type" && source[variable] === undefined
    ? "is required but not set"
    : issue.message;
  throw new ConfigError(`${processName}: ${variable} ${message}`);
}
