import type { z } from "zod";
import { DomainError } from "./errors";

/** Parses verb input; failures become one invalid_input error listing every field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.path || "input"} ${f.message}`).join("; ");
  throw new DomainError("invalid_input", summary, fields);
}
