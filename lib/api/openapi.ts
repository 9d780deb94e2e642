import { ExportAuditInput } from "@/lib/audit/export-audit";
import { ListAuditInput } from "@/lib/audit/list-audit";
import { CreateApiTokenInput } from "@/lib/auth/api-tokens";
import { TestTargetConnectionInput } from "@/lib/cutover/test-target-connection";
import { CreateCutoverInput, UpdateCutoverInput } from "@/lib/cutover/schema";
import { AddHerokuAppInput } from "@/lib/heroku-app/schema";
import type { ErrorCode } from "@/lib/errors";
import { ListLogLinesInput } from "@/lib/run/list-log-lines";
import { RequestCancelInput } from "@/lib/run/request-cancel";
import { DecideStepInput } from "@/lib/run/decide-step";
import { RequestRollbackInput } from "@/lib/run/request-rollback";
import { StartRunInput } from "@/lib/run/start-run";
import { SignOffInput } from "@/lib/signoff/sign-off";
import { inputJsonSchema, queryParameters, type JsonSchema } from "./json-schema";

/**
 * The OpenAPI 3.1 description of Switchyard's JSON API (served at GET /api/openapi.json).
 *
 * Request bodies are generated from the same zod schemas the verbs validate with, minus the fields
 * the route takes from the path (cutoverId, runId). lib/api/openapi.test.ts walks app/api on disk
 * and fails when a route and this document disagree.
 */

export type HttpMethod = "get" | "post" | "patch" | "delete";

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: JsonSchema[];
  requestBody?: { required: boolean; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: JsonSchema } } } | { $ref: string }>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    securitySchemes: Record<string, JsonSchema>;
    schemas: Record<string, JsonSchema>;
    responses: Record<string, { description: string; content: { "application/json": { schema: JsonSchema } } }>;
  };
}

/** Every DomainError code, plus "internal" (the 500 body). Exhaustive over ErrorCode (checked below). */
const ERROR_CODES = ["invalid_input", "unauthorized", "forbidden", "not_found", "conflict", "precondition_failed", "unavailable"] as const;
type MissingErrorCode = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const everyErrorCodeListed: [MissingErrorCode] extends [never] ? true : MissingErrorCode = true;
void everyErrorCodeListed;

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 500 | 503;

const ERROR_RESPONSE: Record<ErrorStatus, { name: string; description: string }> = {
  400: { name: "InvalidInput", description: "invalid_input: the body or a parameter is malformed; `fields` lists each problem" },
  401: { name: "Unauthorized", description: "unauthorized: no valid session cookie or API token" },
  403: { name: "Forbidden", description: "forbidden: your role may not do this, or a cross-site request made with the session cookie" },
  404: { name: "NotFound", description: "not_found: no such resource" },
  409: { name: "Conflict", description: "conflict: the resource's state does not allow this (stale version, active run, …)" },
  412: { name: "PreconditionFailed", description: "precondition_failed: the start gate does not hold; the message says why" },
  500: { name: "Internal", description: "internal: an unexpected server error (logged, details withheld)" },
  503: { name: "Unavailable", description: "unavailable: the database is unreachable or not migrated" },
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const body = (schema: JsonSchema, required = true) => ({ required, content: json(schema) });

const uuidPath = (description: string): JsonSchema => ({ name: "id", in: "path", required: true, description, schema: { type: "string", format: "uuid" } });

const PUBLIC: Array<Record<string, string[]>> = [];

function op(
  operationId: string,
  summary: string,
  tag: string,
  success: { status: number; description: string; schema: JsonSchema },
  errors: ErrorStatus[],
  extra: Pick<OpenApiOperation, "parameters" | "requestBody" | "security"> = {},
): OpenApiOperation {
  const responses: OpenApiOperation["responses"] = { [String(success.status)]: { description: success.description, content: json(success.schema) } };
  for (const status of errors) responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSE[status].name}` };
  return { operationId, summary, tags: [tag], ...extra, responses };
}

const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: "object", properties, required });
const str: JsonSchema = { type: "string" };
const uuid: JsonSchema = { type: "string", format: "uuid" };
const dateTime: JsonSchema = { type: "string", format: "date-time" };
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: "null" }] });
const loose: JsonSchema = { type: "object", additionalProperties: true };

export function buildOpenApiDocument(): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {
    Error: obj(
      {
        error: obj(
          {
            code: { type: "string", enum: [...ERROR_CODES, "internal"] },
            message: str,
            fields: { type: "array", items: ref("FieldError"), description: "per-field problems (400); empty or absent otherwise" },
          },
          ["code", "message"],
        ),
      },
      ["error"],
    ),
    FieldError: obj({ path: { type: "string", description: "dotted path into the body, e.g. smokeChecks.0.url" }, message: str }),
    // Request bodies: the verbs' own zod input schemas, less what the route takes from the path.
    CreateCutoverBody: inputJsonSchema(CreateCutoverInput),
    AddHerokuAppBody: inputJsonSchema(AddHerokuAppInput),
    UpdateCutoverBody: inputJsonSchema(UpdateCutoverInput.omit({ cutoverId: true })),
    StartRunBody: inputJsonSchema(StartRunInput.omit({ cutoverId: true })),
    SignOffBody: inputJsonSchema(SignOffInput.omit({ cutoverId: true })),
    RollbackBody: inputJsonSchema(RequestRollbackInput.omit({ runId: true })),
    CancelBody: inputJsonSchema(RequestCancelInput.omit({ runId: true })),
    DecisionBody: inputJsonSchema(DecideStepInput.omit({ runId: true, stepKey: true })),
    CreateApiTokenBody: inputJsonSchema(CreateApiTokenInput),
    TestTargetConnectionBody: inputJsonSchema(TestTargetConnectionInput),
    RunRef: obj({ id: uuid, status: str }),
    ApiToken: obj({ id: uuid, name: str, prefix: str, createdAt: dateTime, lastUsedAt: nullable(dateTime), revokedAt: nullable(dateTime) }),
  };

  const responses: OpenApiDocument["components"]["responses"] = {};
  for (const { name, description } of Object.values(ERROR_RESPONSE)) responses[name] = { description, content: json(ref("Error")) };

  const cutoverId = uuidPath("the cutover's id");
  const runId = uuidPath("the run's id");

  const paths: OpenApiDocument["paths"] = {
    "/api/cutovers": {
      get: op("listCutovers", "The cutover list", "cutovers", { status: 200, description: "the cutovers", schema: obj({ cutovers: { type: "array", items: loose } }) }, [401, 403, 500]),
      post: op(
        "createCutover",
        "Creates a draft plan with the default steps; the target URL is sealed and only shown masked",
        "cutovers",
        { status: 201, description: "the new plan", schema: obj({ id: uuid, version: { type: "integer" }, planHash: str, target: nullable(str) }) },
        [400, 401, 403, 404, 500],
        { requestBody: body(ref("CreateCutoverBody")) },
      ),
    },
    "/api/cutovers/{id}": {
      get: op(
        "getCutover",
        "One plan: steps, sign-offs (marked current or not), recent runs; the target only masked",
        "cutovers",
        { status: 200, description: "the cutover", schema: { ...obj({ id: uuid, name: str, status: str, version: { type: "integer" }, planHash: str }), additionalProperties: true } },
        [400, 401, 403, 404, 500],
        { parameters: [cutoverId] },
      ),
      patch: op(
        "updateCutover",
        "Edits a draft plan; the plan hash changes and older sign-offs stop counting (409 on a stale version)",
        "cutovers",
        { status: 200, description: "the new version and plan hash", schema: obj({ id: uuid, version: { type: "integer" }, planHash: str }) },
        [400, 401, 403, 404, 409, 500],
        { parameters: [cutoverId], requestBody: body(ref("UpdateCutoverBody")) },
      ),
    },
    "/api/cutovers/{id}/runs": {
      post: op(
        "startRun",
        "Starts a run (409 if one is active, 412 with the reasons when the gate does not hold)",
        "runs",
        { status: 201, description: "the queued run", schema: obj({ run: obj({ id: uuid, status: str, kind: str }) }) },
        [400, 401, 403, 404, 409, 412, 500],
        { parameters: [cutoverId], requestBody: body(ref("StartRunBody")) },
      ),
    },
    "/api/cutovers/{id}/sign-offs": {
      post: op(
        "signOff",
        "Approves or rejects one exact plan version (409 when the plan changed or you already decided)",
        "cutovers",
        { status: 201, description: "the sign-off", schema: obj({ id: uuid, decision: { type: "string", enum: ["approve", "reject"] }, planHash: str }) },
        [400, 401, 403, 404, 409, 500],
        { parameters: [cutoverId], requestBody: body(ref("SignOffBody")) },
      ),
    },
    "/api/cutovers/{id}/stream-token": {
      post: op(
        "mintStreamToken",
        "A 60-second token for the worker's websocket, bound to this cutover, and the websocket's URL (open `${wsUrl}?token=…`)",
        "runs",
        { status: 200, description: "the token and where to use it", schema: obj({ token: str, expiresInSeconds: { type: "integer" }, wsUrl: str }) },
        [400, 401, 403, 404, 500],
        { parameters: [cutoverId] },
      ),
    },
    "/api/runs/{id}": {
      get: op(
        "getRun",
        "The run view: steps, transitions, smoke results, maintenance span, downtime report, what may be done next",
        "runs",
        { status: 200, description: "the run", schema: loose },
        [400, 401, 403, 404, 500],
        { parameters: [runId] },
      ),
    },
    "/api/runs/{id}/logs": {
      get: op(
        "listLogLines",
        "A page of the run's log, ascending by seq: afterSeq pages forward, beforeSeq backward (not both), neither gives the newest",
        "runs",
        { status: 200, description: "the log lines, hasMore and lastSeq", schema: loose },
        [400, 401, 403, 404, 500],
        { parameters: [runId, ...queryParameters(ListLogLinesInput, ["runId"])] },
      ),
    },
    "/api/runs/{id}/rollback": {
      post: op(
        "requestRollback",
        "Rolls back (409 when not offered, with why)",
        "runs",
        { status: 202, description: "the run, rolling back or marked to turn around", schema: obj({ run: ref("RunRef") }) },
        [400, 401, 403, 404, 409, 500],
        { parameters: [runId], requestBody: body(ref("RollbackBody"), false) },
      ),
    },
    "/api/runs/{id}/cancel": {
      post: op(
        "requestCancel",
        "Cancels a queued or running run",
        "runs",
        { status: 202, description: "the run, cancelled or cancelling", schema: obj({ run: ref("RunRef") }) },
        [400, 401, 403, 404, 409, 500],
        { parameters: [runId], requestBody: body(ref("CancelBody"), false) },
      ),
    },
    "/api/runs/{id}/steps/{key}/decision": {
      post: op(
        "decideStep",
        "Decides a step the run waits at: a manual task done, skipped or failed; an approval approved or rejected (by the role the step names)",
        "runs",
        { status: 201, description: "the decision", schema: obj({ runId: uuid, stepKey: str, decision: str }) },
        [400, 401, 403, 404, 409, 500],
        { parameters: [runId, { name: "key", in: "path", required: true, description: "the step's key in the plan", schema: str }], requestBody: body(ref("DecisionBody")) },
      ),
    },
    "/api/heroku-apps": {
      get: op("listHerokuApps", "Connected Heroku apps (never their tokens)", "heroku-apps", { status: 200, description: "the apps", schema: obj({ apps: { type: "array", items: obj({ id: uuid, name: str, apiBaseUrl: str, createdAt: dateTime }) } }) }, [401, 403, 500]),
      post: op(
        "addHerokuApp",
        "Connects a Heroku app; its API token is sealed and never shown again (admin)",
        "heroku-apps",
        { status: 201, description: "the connected app", schema: obj({ id: uuid, name: str, apiBaseUrl: str, createdAt: dateTime }) },
        [400, 401, 403, 409, 500],
        { requestBody: body(ref("AddHerokuAppBody")) },
      ),
    },
    "/api/tokens": {
      get: op("listApiTokens", "Your personal API tokens (values are never shown again)", "tokens", { status: 200, description: "the tokens", schema: obj({ tokens: { type: "array", items: ref("ApiToken") } }) }, [401, 500]),
      post: op(
        "createApiToken",
        "Creates a personal API token; the answer holds its value, once",
        "tokens",
        { status: 201, description: "the token and its value (sy_…)", schema: obj({ id: uuid, name: str, prefix: str, token: { type: "string", pattern: "^sy_" } }) },
        [400, 401, 403, 500],
        { requestBody: body(ref("CreateApiTokenBody")) },
      ),
    },
    "/api/tokens/{id}": {
      delete: op(
        "revokeApiToken",
        "Revokes a token at once",
        "tokens",
        { status: 200, description: "revoked", schema: obj({ id: uuid, revoked: { type: "boolean", const: true } }) },
        [400, 401, 403, 404, 500],
        { parameters: [uuidPath("the token's id")] },
      ),
    },
    "/api/audit": {
      get: op(
        "listAudit",
        "A page of audit events, newest first, filtered by actor, action, time and cutover, and whether the hash chain verifies",
        "audit",
        { status: 200, description: "events, newest first, and the chain status", schema: obj({ chain: loose, events: { type: "array", items: loose }, nextBeforeId: nullable(str), actions: { type: "array", items: str } }) },
        [400, 401, 403, 500],
        { parameters: queryParameters(ListAuditInput, []) },
      ),
    },
    "/api/me": {
      get: op(
        "whoAmI",
        "The signed-in person and the permissions of their role",
        "users",
        { status: 200, description: "you", schema: obj({ user: obj({ id: uuid, email: str, name: str, role: str }), permissions: { type: "array", items: str } }) },
        [401, 500],
      ),
    },
    "/api/heroku-apps/{id}/source": {
      get: op(
        "discoverAppSource",
        "The app's current DATABASE add-on, its plan and attachment names, read from Heroku (412 with what is wrong); never the URL",
        "heroku-apps",
        { status: 200, description: "the source database", schema: obj({ app: loose, addon: obj({ name: str, plan: str }), attachment: str, otherAttachments: { type: "array", items: str } }) },
        [400, 401, 403, 404, 412, 500],
        { parameters: [uuidPath("the connected Heroku app's id")] },
      ),
    },
    "/api/target-connection": {
      post: op(
        "testTargetConnection",
        "Connects to a target database (a URL being entered, or a plan's stored one) and reports its version and whether it is empty; a failed connection is an answer with ok=false and what to fix",
        "cutovers",
        {
          status: 200,
          description: "what the connection found",
          schema: {
            anyOf: [
              obj({ ok: { type: "boolean", const: true }, serverVersion: str, empty: { type: "boolean" }, tables: { type: "integer" }, sizeBytes: { type: "integer" } }),
              obj({ ok: { type: "boolean", const: false }, message: str }),
            ],
          },
        },
        [400, 401, 403, 404, 412, 500],
        { requestBody: body(ref("TestTargetConnectionBody")) },
      ),
    },
    "/api/runs/{id}/logs/download": {
      get: {
        ...op("downloadRunLog", "The whole log as a text file (seq, time, stream, text separated by tabs), streamed", "runs", { status: 200, description: "text/plain attachment", schema: str }, [400, 401, 403, 404, 500], { parameters: [runId] }),
        responses: {
          "200": { description: "text/plain attachment, one line per log line: seq<TAB>ISO time<TAB>stream<TAB>text" },
          ...Object.fromEntries(([400, 401, 403, 404, 500] as ErrorStatus[]).map((st) => [String(st), { $ref: `#/components/responses/${ERROR_RESPONSE[st].name}` }])),
        },
      },
    },
    "/api/runs/{id}/rollback-preview": {
      get: op(
        "previewRollback",
        "What a rollback would do, in order, and how many rows customers changed on the target since maintenance went off (they stay there)",
        "runs",
        { status: 200, description: "the preview", schema: obj({ canRollback: { type: "boolean" }, switchedAt: nullable(dateTime), rowsChangedOnTarget: nullable({ type: "integer" }), actions: { type: "array", items: str } }) },
        [400, 401, 403, 404, 500],
        { parameters: [runId] },
      ),
    },
    "/api/audit/export": {
      get: {
        ...op("exportAudit", "Every matching audit event as CSV or JSON (oldest first), streamed", "audit", { status: 200, description: "attachment", schema: str }, [400, 401, 403, 500], {
          parameters: queryParameters(ExportAuditInput, []),
        }),
        responses: {
          "200": { description: "text/csv or application/json attachment" },
          ...Object.fromEntries(([400, 401, 403, 500] as ErrorStatus[]).map((st) => [String(st), { $ref: `#/components/responses/${ERROR_RESPONSE[st].name}` }])),
        },
      },
    },
    "/api/cutovers/{id}/calendar.ics": {
      get: {
        ...op("getCutoverCalendar", "The cutover's maintenance window as an iCalendar file (one VEVENT in UTC, SEQUENCE = plan version)", "cutovers", { status: 200, description: "text/calendar", schema: str }, [400, 401, 403, 404, 500], { parameters: [cutoverId] }),
        responses: {
          "200": { description: "text/calendar attachment: one VEVENT (UID stable per cutover, SEQUENCE = plan version); none while the window is not scheduled" },
          ...Object.fromEntries(([400, 401, 403, 404, 500] as ErrorStatus[]).map((st) => [String(st), { $ref: `#/components/responses/${ERROR_RESPONSE[st].name}` }])),
        },
      },
    },
    "/api/cutovers/{id}/calendar-feed": {
      post: op(
        "createCalendarFeed",
        "Creates the cutover's calendar feed URL for calendar apps that cannot sign in, replacing an earlier one; the answer holds it, once",
        "cutovers",
        { status: 201, description: "the feed URL (…/api/calendar/syc_….ics) and its token", schema: obj({ cutoverId: uuid, prefix: str, createdAt: dateTime, url: str, token: { type: "string", pattern: "^syc_" } }) },
        [400, 401, 403, 404, 500],
        { parameters: [cutoverId] },
      ),
    },
    "/api/calendar/{token}": {
      get: {
        ...op("getCalendarFeed", "A cutover's calendar feed: the same iCalendar file, the feed token in the path standing in for a sign-in", "cutovers", { status: 200, description: "text/calendar", schema: str }, [404, 500], {
          security: PUBLIC,
          parameters: [{ name: "token", in: "path", required: true, description: "the feed token followed by .ics (syc_….ics)", schema: { type: "string", pattern: "^syc_[A-Za-z0-9_-]+\\.ics$" } }],
        }),
        responses: {
          "200": { description: "text/calendar: the cutover's window as one VEVENT" },
          ...Object.fromEntries(([404, 500] as ErrorStatus[]).map((st) => [String(st), { $ref: `#/components/responses/${ERROR_RESPONSE[st].name}` }])),
        },
      },
    },
    "/api/health": {
      get: op("checkHealth", "The database answers and the schema is in place (no sign-in needed)", "health", { status: 200, description: "healthy", schema: obj({ ok: { type: "boolean", const: true } }) }, [500, 503], {
        security: PUBLIC,
      }),
    },
  };

  return {
    openapi: "3.1.0",
    info: {
      title: "Switchyard API",
      version: "0.1.0",
      description:
        "Coordinated Heroku Postgres cutovers. Authenticate with the dashboard's session cookie, or with a personal API token (`Authorization: Bearer sy_…`, create one with POST /api/tokens). " +
        "Mutations made with the session cookie must come from the dashboard's origin (CSRF). Errors are `{ \"error\": { \"code\", \"message\", \"fields\" } }`.",
    },
    servers: [{ url: "/" }],
    security: [{ sessionCookie: [] }, { bearerAuth: [] }],
    tags: [
      { name: "cutovers", description: "plans, edits and sign-offs" },
      { name: "runs", description: "preflights, rehearsals and live runs" },
      { name: "heroku-apps", description: "connected Heroku apps" },
      { name: "tokens", description: "personal API tokens" },
      { name: "users", description: "who you are" },
      { name: "audit", description: "the hash-chained audit trail" },
      { name: "health", description: "liveness" },
    ],
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "switchyard.session_token", description: "the dashboard's better-auth session" },
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "sy_…", description: "a personal API token (POST /api/tokens)" },
      },
      schemas,
      responses,
    },
  };
}
