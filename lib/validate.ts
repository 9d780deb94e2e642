import type { z } from "zod";
import { DomainError } from "./errors";

/** Parses verb input; failures become one invalid_input error listing every field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    // zod's own wording for a wrong top-level type is not meant for people.
    message: issue.path.length === 0 && issue.code === "invalid_type" ? "must be a JSON object" : issue.message,
  }));
  const summary = fields.map((f) => `${f.path || "the request body"} ${f.message}`).join("; ");
  throw new DomainError("invalid_input", summary, fields);
}
