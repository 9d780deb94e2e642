import { z } from "zod";

/** A JSON Schema (draft 2020-12, which OpenAPI 3.1 uses as is). */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of what a client may SEND for a zod schema (zod 4's `io: "input"`: fields with a
 * default are optional, coerced dates are strings). Refinements (URL protocol, IANA zones, target URL
 * checks) cannot be expressed and are left to the server's validation, which answers 400 with fields.
 */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "date") {
        jsonSchema.type = "string";
        jsonSchema.format = "date-time";
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** OpenAPI query parameters from a zod object's input schema (one per property, less `except`). */
export function queryParameters(schema: z.ZodType, except: string[] = []): JsonSchema[] {
  const json = inputJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {})
    .filter(([name]) => !except.includes(name))
    .map(([name, s]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema: s }));
}
