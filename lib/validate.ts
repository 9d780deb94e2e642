import type { z } from "zod";
import { DomainError, type FieldError } from "./errors";

/** Parses verb input; failures become one invalid_input error listing every field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const nul = nulFields(input);
  if (nul.length) throw new DomainError("invalid_input", nul.map((f) => `${f.path || "the request body"} ${f.message}`).join("; "), nul);
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

// PostgreSQL text cannot hold U+0000: say which field has one, rather than fail in the database (a 500).
function nulFields(value: unknown, path: string[] = [], found: FieldError[] = [], depth = 0): FieldError[] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) found.push({ path: path.join("."), message: "must not contain NUL characters (\\u0000)" });
  } else if (value !== null && typeof value === "object" && depth < 32) {
    for (const [key, item] of Object.entries(value)) nulFields(item, [...path, key], found, depth + 1);
  }
  return found;
}
