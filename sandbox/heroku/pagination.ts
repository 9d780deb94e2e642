// Heroku list ranges: `Range: <field> [<start>|]<start>]..[<end>]; max=N, order=desc`.
// A page that leaves items behind is 206 with `Next-Range`; the last page is 200 without it.
import { badRequest } from "./errors";
import { type ApiResponse, json } from "./http";

export const DEFAULT_PAGE_SIZE = 1000;

type SortKey = string | number;
export type RangeFields<T> = Record<string, (item: T) => SortKey>;

interface RangeSpec {
  field: string;
  start?: string;
  startExclusive: boolean;
  end?: string;
  max: number;
  order: "asc" | "desc";
}

function parseOptions(text: string, spec: RangeSpec, raw: string): void {
  for (const part of text.split(/[;,]/).map((p) => p.trim()).filter(Boolean)) {
    const [key, value = ""] = part.split("=").map((s) => s.trim());
    if (key === "max" && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= DEFAULT_PAGE_SIZE) spec.max = Number(value);
    else if (key === "order" && (value === "asc" || value === "desc")) spec.order = value;
    else throw badRequest(`Invalid Range header "${raw}": bad option "${part}" (use max=1..${DEFAULT_PAGE_SIZE}, order=asc|desc).`);
  }
}

export function parseRange(raw: string | undefined, fields: string[], defaultField: string): RangeSpec {
  const spec: RangeSpec = { field: defaultField, startExclusive: false, max: DEFAULT_PAGE_SIZE, order: "asc" };
  if (!raw || raw.trim() === "") return spec;
  const match = /^\s*([a-z_]+)\s*([^;\s]*)\s*(?:;(.*))?$/.exec(raw);
  if (!match) throw badRequest(`Invalid Range header "${raw}".`);
  const [, field, bounds, options = ""] = match;
  if (!fields.includes(field)) throw badRequest(`Invalid Range header "${raw}": can only range over ${fields.join(", ")}.`);
  spec.field = field;
  if (bounds !== "") {
    const [start, end] = bounds.split("..");
    if (end === undefined) throw badRequest(`Invalid Range header "${raw}": expected "<start>..<end>".`);
    spec.startExclusive = start.startsWith("]");
    spec.start = start.replace(/^\]/, "") || undefined;
    spec.end = end || undefined;
  }
  parseOptions(options, spec, raw);
  return spec;
}

function compare(a: SortKey, b: SortKey): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Range bounds are strings; numeric fields (version) compare as numbers. */
function boundOf(sample: SortKey | undefined, text: string): SortKey {
  if (typeof sample !== "number") return text;
  if (!/^\d+$/.test(text)) throw badRequest(`Invalid Range bound "${text}": expected a number.`);
  return Number(text);
}

export function paginate<T>(items: T[], rangeHeader: string | undefined, fields: RangeFields<T>, defaultField: string, toJson: (item: T) => unknown): ApiResponse {
  const spec = parseRange(rangeHeader, Object.keys(fields), defaultField);
  const key = fields[spec.field];
  const direction = spec.order === "desc" ? -1 : 1;
  const sorted = [...items].sort((a, b) => direction * compare(key(a), key(b)));
  const sample = sorted.length > 0 ? key(sorted[0]) : undefined;
  const inRange = sorted.filter((item) => {
    const k = key(item);
    if (spec.start !== undefined) {
      const c = direction * compare(k, boundOf(sample, spec.start));
      if (c < 0 || (c === 0 && spec.startExclusive)) return false;
    }
    return spec.end === undefined || direction * compare(k, boundOf(sample, spec.end)) <= 0;
  });
  const page = inRange.slice(0, spec.max);
  const headers: Record<string, string> = { "Accept-Ranges": Object.keys(fields).join(", ") };
  if (inRange.length <= page.length) return json(200, page.map(toJson), headers);
  const last = key(page[page.length - 1]);
  const order = spec.order === "desc" ? ", order=desc" : "";
  headers["Next-Range"] = `${spec.field} ]${last}..${spec.end ?? ""}; max=${spec.max}${order}`;
  return json(206, page.map(toJson), headers);
}
