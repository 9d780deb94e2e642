import { readFileSync } from "node:fs";
import path from "node:path";

export interface SchemaColumn {
  name: string;
  nullable: boolean;
  /** information_schema's udt_name, e.g. "text", "uuid", "int4", "jsonb", "Role". */
  udt: string;
}

export interface SchemaTable {
  model: string;
  table: string;
  columns: SchemaColumn[];
}

const SCALAR_UDT: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Boolean: "bool",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
  Float: "float8",
};

const NATIVE_UDT: Record<string, string> = { "@db.Uuid": "uuid", "@db.Timestamptz": "timestamptz" };

/** Reads the models of prisma/schema.prisma as the tables and columns they should produce. */
export function readSchemaTables(file = path.resolve("prisma/schema.prisma")): SchemaTable[] {
  const text = readFileSync(file, "utf8");
  const enums = new Set([...text.matchAll(/^enum\s+(\w+)\s*\{/gm)].map((m) => m[1]!));
  const models = [...text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(models.map((m) => m[1]!));
  return models.map(([, model, body]) => {
    const table = /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? model!;
    const columns = body!
      .split("\n")
      .map((line) => line.replace(/\/\/.*$/, "").trim())
      .filter((line) => line && !line.startsWith("@@"))
      .map((line) => parseField(line, enums, modelNames))
      .filter((c): c is SchemaColumn => c !== null);
    return { model: model!, table, columns };
  });
}

function parseField(line: string, enums: Set<string>, models: Set<string>): SchemaColumn | null {
  const [name, rawType, ...attrs] = line.split(/\s+/);
  const baseType = rawType!.replace(/[?[\]]/g, "");
  if (models.has(baseType)) return null;
  const attrText = attrs.join(" ");
  const mapped = /@map\("([^"]+)"\)/.exec(attrText)?.[1];
  const native = Object.keys(NATIVE_UDT).find((k) => attrText.includes(k));
  const udt = native ? NATIVE_UDT[native]! : enums.has(baseType) ? baseType : SCALAR_UDT[baseType];
  if (!udt) throw new Error(`schema parser: unknown type ${rawType} of field ${name}`);
  // A scalar list (String[]) is a PostgreSQL array, whose udt_name is the element's with a leading "_".
  return { name: mapped ?? name!, nullable: rawType!.endsWith("?"), udt: rawType!.endsWith("[]") ? `_${udt}` : udt };
}
