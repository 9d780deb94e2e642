import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { httpStatusOf, type ErrorCode } from "@/lib/errors";
import { buildOpenApiDocument, type HttpMethod, type OpenApiOperation } from "./openapi";

const root = fileURLToPath(new URL("../..", import.meta.url));
const apiDir = join(root, "app", "api");
const doc = buildOpenApiDocument();
type Schema = Record<string, any>;

/** Resolves a local "#/components/…" reference. */
function deref<T = Schema>(value: unknown): T {
  const r = (value as { $ref?: string }).$ref;
  if (!r) return value as T;
  return r
    .slice(2)
    .split("/")
    .reduce<any>((node, key) => node[key], doc) as T;
}

function operation(path: string, method: HttpMethod): OpenApiOperation {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
  return op;
}

const bodySchema = (path: string, method: HttpMethod): Schema => deref(operation(path, method).requestBody!.content["application/json"].schema);

/** Every (path, METHOD) that app/api/**\/route.ts serves, as the document should spell it. */
function routesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const segments = relative(apiDir, dir).split(sep).filter(Boolean);
        if (segments[0] === "auth" || segments[0] === "openapi.json") continue; // better-auth's; this document itself
        const path = "/api/" + segments.map((s) => s.replace(/^\[([^.\]]+)\]$/, "{$1}")).join("/");
        const source = readFileSync(full, "utf8");
        for (const m of source.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PATCH|PUT|DELETE)\b/g)) found.push(`${m[1]} ${path}`);
      }
    }
  };
  walk(apiDir);
  return found.sort();
}

function routesInDocument(): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

describe("the OpenAPI document", () => {
  it("looks like OpenAPI 3.1 and survives JSON", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.schemas.Error).toBeDefined();
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it("describes every route on disk, and nothing else", () => {
    const disk = routesOnDisk();
    expect(disk).toContain("GET /api/cutovers/{id}");
    expect(disk.length).toBeGreaterThanOrEqual(13);
    expect(routesInDocument()).toEqual(disk);
  });

  it("resolves every reference and gives each operation a unique id, a success and a 500", () => {
    const text = JSON.stringify(doc);
    for (const [, target] of text.matchAll(/"\$ref":"([^"]+)"/g)) expect(deref({ $ref: target }), target).toBeDefined();
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as Array<[HttpMethod, OpenApiOperation]>) {
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${path}`).toBe(true);
        expect(op.responses["500"], `${method} ${path}`).toBeDefined();
        for (const name of path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
          expect(op.parameters?.some((p) => p.in === "path" && p.name === name && p.required), `${method} ${path} declares {${name}}`).toBe(true);
        }
      }
    }
  });

  it("has the error body and a response for each error code's status", () => {
    const error = deref(doc.components.schemas.Error).properties.error;
    expect(error.required).toEqual(["code", "message"]);
    expect(error.properties.fields.type).toBe("array");
    const codes = error.properties.code.enum as string[];
    expect(codes).toContain("internal");
    const statuses = new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => Object.keys(op!.responses))));
    for (const code of codes.filter((c) => c !== "internal") as ErrorCode[]) expect(statuses.has(String(httpStatusOf(code))), code).toBe(true);
    expect(Object.keys(operation("/api/cutovers/{id}/runs", "post").responses).sort()).toEqual(["201", "400", "401", "403", "404", "409", "412", "500"]);
    expect(operation("/api/cutovers/{id}", "patch").responses["409"]).toBeDefined();
    expect(operation("/api/runs/{id}/rollback", "post").responses["409"]).toBeDefined();
  });

  it("has the session cookie and bearer token schemes; health is public", () => {
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "switchyard.session_token" });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ sessionCookie: [] }, { bearerAuth: [] }]);
    expect(operation("/api/health", "get").security).toEqual([]);
  });

  it("builds request bodies from the verbs' zod schemas, without the path's fields", () => {
    const start = bodySchema("/api/cutovers/{id}/runs", "post");
    expect(start.properties.kind.enum.sort()).toEqual(["live", "preflight", "rehearsal"]);
    expect(start.required).toEqual(["kind"]);
    expect(start.properties.cutoverId).toBeUndefined();

    const update = bodySchema("/api/cutovers/{id}", "patch");
    expect(update.required).toEqual(["version"]);
    expect(update.properties.cutoverId).toBeUndefined();
    expect(update.properties.version).toMatchObject({ type: "integer", minimum: 1 });
    expect(update.properties.name).toMatchObject({ type: "string", minLength: 1, maxLength: 120 });
    expect(update.properties.requiredApprovals).toMatchObject({ type: "integer", minimum: 0, maximum: 20 });
    expect(update.properties.windowStartsAt.anyOf).toEqual([{ type: "string", format: "date-time" }, { type: "null" }]);
    const smoke = update.properties.smokeChecks;
    expect(smoke).toMatchObject({ type: "array", maxItems: 50 });
    expect(smoke.items.properties.url).toMatchObject({ type: "string", maxLength: 2048, format: "uri" });
    expect(smoke.items.properties.expectStatus).toMatchObject({ type: "integer", minimum: 100, maximum: 599, default: 200 });
    expect(smoke.items.required).toEqual(["url"]); // defaults make the rest optional on input

    const signOff = bodySchema("/api/cutovers/{id}/sign-offs", "post");
    expect(signOff.properties.cutoverId).toBeUndefined();
    expect(signOff.properties.decision.enum).toEqual(["approve", "reject"]);
    expect(signOff.properties.planHash.pattern).toBe("^[0-9a-f]{64}$");
    expect(signOff.required.sort()).toEqual(["decision", "planHash"]);

    for (const path of ["/api/runs/{id}/rollback", "/api/runs/{id}/cancel"]) {
      const s = bodySchema(path, "post");
      expect(s.properties.runId, path).toBeUndefined();
      expect(s.properties.reason, path).toMatchObject({ type: "string", maxLength: 2000 });
      expect(s.required ?? [], path).toEqual([]);
    }

    expect(bodySchema("/api/tokens", "post").properties.name).toMatchObject({ type: "string", minLength: 1, maxLength: 80 });
    expect(operation("/api/audit", "get").parameters!.map((p) => p.name).sort()).toEqual(["action", "actor", "beforeId", "cutoverId", "entityId", "from", "limit", "to"]);
    expect(operation("/api/audit/export", "get").parameters!.map((p) => p.name)).toContain("format");
  });

  it("takes the run log's query parameters from ListLogLinesInput", () => {
    const params = Object.fromEntries(operation("/api/runs/{id}/logs", "get").parameters!.map((p) => [`${p.in}:${p.name}`, p]));
    expect(Object.keys(params).sort()).toEqual(["path:id", "query:afterSeq", "query:beforeSeq", "query:limit", "query:q"]);
    expect(params["query:limit"]).toMatchObject({ required: false, schema: { type: "integer", minimum: 1, maximum: 1000, default: 500 } });
    expect(params["query:afterSeq"].schema).toMatchObject({ type: "integer", minimum: 0 });
    expect(params["query:beforeSeq"].schema).toMatchObject({ type: "integer", minimum: 1 });
  });
});
