import { z } from "zod";
import { stepKind } from "./catalog";
import { coreStep } from "./core-plan";

/** How one param of a kind is edited in the plan form, derived from its zod schema. */
export interface ParamField {
  name: string;
  title: string;
  description?: string;
  input: "checkbox" | "textarea" | "number" | "text" | "select";
  /** The choices of a select. */
  options?: string[];
  /** A core step keeps this param as the core has it (maintenance's `on`). */
  fixed: boolean;
}

type JsonProp = { type?: string; title?: string; description?: string; maxLength?: number; anyOf?: JsonProp[]; enum?: unknown[] };

const humanize = (name: string) => name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (_, c: string) => ` ${c.toLowerCase()}`);

// Long texts (SQL, instructions) get a text area; the rest a one-line input.
function inputOf(prop: JsonProp): ParamField["input"] {
  if (prop.type === "boolean") return "checkbox";
  if (prop.enum) return "select";
  if (prop.type === "string") return (prop.maxLength ?? 0) > 500 ? "textarea" : "text";
  if (prop.type === "integer" || prop.type === "number") return "number";
  return "text";
}

const cache = new Map<string, ParamField[]>();

/** The params a step of this kind offers in the form, in schema order; fixed core params flagged. */
export function paramFields(kind: string, stepKey?: string): ParamField[] {
  const cacheKey = `${kind}:${stepKey ?? ""}`;
  const known = cache.get(cacheKey);
  if (known) return known;
  const spec = stepKind(kind);
  const schema = z.toJSONSchema(spec.params, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonProp> };
  const fixedHere = stepKey && coreStep(stepKey) ? (spec.fixedInCore ?? []) : [];
  const fields = Object.entries(schema.properties ?? {}).map(([name, prop]) => ({
    name,
    title: prop.title ?? humanize(name),
    description: prop.description,
    input: inputOf(prop),
    ...(prop.enum ? { options: prop.enum.map(String) } : {}),
    fixed: fixedHere.includes(name),
  }));
  cache.set(cacheKey, fields);
  return fields;
}

/** A form value as the param takes it: numbers from digits, nothing for an empty field (the default applies). */
export function paramValue(field: ParamField, raw: string | boolean): unknown {
  if (field.input === "checkbox") return Boolean(raw);
  const text = String(raw);
  if (text.trim() === "") return undefined;
  if (field.input !== "textarea" && /^-?\d+$/.test(text.trim())) return Number(text.trim());
  return text;
}
