// Heroku Postgres data API (api.data.heroku.com), served on the same port: database info,
// wait_status, backups, copies, transfer polling, public URLs and credentials.
import { z } from "zod";
import type { DatabaseFacts, EmulatorContext } from "./context";
import { ApiError, notFound } from "./errors";
import { type Route, json, parseBody, route } from "./http";
import { stableId } from "./serialize";
import { type AddonRecord, type EmulatorState, findAddon, requireApp } from "./state";
import { createTransfer, requireTransfer, sourceName, transferJson, transfersOfApp } from "./transfers";

const CopyBody = z.object({ from_name: z.string().min(1), from_url: z.string().min(1), to_name: z.string().min(1), to_url: z.string().min(1) });

function requireDatabase(state: EmulatorState, idOrName: string): AddonRecord {
  const addon = findAddon(state, idOrName);
  if (!addon) throw notFound("database", "Couldn't find that database.");
  return addon;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function databaseJson(addon: AddonRecord, facts: DatabaseFacts) {
  const plan = addon.plan.split(":")[1] ?? addon.plan;
  const info = [
    ["Plan", plan], ["Status", "Available"], ["Data Size", megabytes(facts.numBytes)], ["Tables", String(facts.numTables)],
    ["PG Version", facts.postgresVersion], ["Connections", "0/120"], ["Fork/Follow", "Available"],
    ["Created", addon.createdAt], ["Data Encryption", "In Use"], ["Continuous Protection", "Off"],
  ].map(([name, value]) => ({ name, values: [value] }));
  return {
    addon_id: addon.id, name: addon.name, resource_url: addon.url, following: null, leader: null, "waiting?": false,
    plan, postgres_version: facts.postgresVersion, num_bytes: facts.numBytes, num_tables: facts.numTables,
    created_at: addon.createdAt, info,
  };
}

/** Credential facts without the password, parsed from the add-on URL. */
function credentialsJson(addon: AddonRecord) {
  let url: URL | undefined;
  try { url = new URL(addon.url); } catch { url = undefined; }
  return [{
    uuid: stableId(`credential:${addon.id}:default`), name: "default", state: "active",
    database: url?.pathname.replace(/^\//, "") ?? "", host: url?.hostname ?? "", port: Number(url?.port || 5432),
    credentials: [{ user: decodeURIComponent(url?.username ?? ""), state: "active", connections: 0 }],
  }];
}

export function dataRoutes(ctx: EmulatorContext): Route[] {
  const state = () => ctx.state();
  return [
    route("GET", "/client/v11/databases/:db/wait_status", (req) => {
      requireDatabase(state(), req.params.db);
      return json(200, { "waiting?": false, "error?": false, message: "available" });
    }),
    route("GET", "/client/v11/databases/:db", async (req) => {
      const addon = requireDatabase(state(), req.params.db);
      return json(200, databaseJson(addon, await ctx.databaseFacts(addon)));
    }),
    route("POST", "/client/v11/databases/:db/backups", async (req) => {
      const addon = requireDatabase(state(), req.params.db);
      const kind = { fromName: sourceName(state(), addon), fromType: "pg_dump", toName: "BACKUP", toType: "gof3r" };
      const transfer = createTransfer(state(), addon, kind, (await ctx.databaseFacts(addon)).numBytes);
      return json(201, transferJson(transfer, false));
    }),
    route("POST", "/client/v11/databases/:db/transfers", async (req) => {
      const addon = requireDatabase(state(), req.params.db);
      const body = parseBody(CopyBody, req.body);
      const kind = { fromName: body.from_name, fromType: "pg_dump", toName: body.to_name, toType: "pg_restore" };
      const transfer = createTransfer(state(), addon, kind, (await ctx.databaseFacts(addon)).numBytes);
      return json(201, transferJson(transfer, false));
    }),
    route("GET", "/client/v11/apps/:app/transfers", (req) =>
      json(200, transfersOfApp(state(), requireApp(state(), req.params.app)).map((t) => transferJson(t, false)))),
    route("GET", "/client/v11/apps/:app/transfers/:transfer", (req) => {
      const transfer = requireTransfer(state(), requireApp(state(), req.params.app), req.params.transfer);
      return json(200, transferJson(transfer, req.query.get("verbose") === "true"));
    }),
    route("POST", "/client/v11/apps/:app/transfers/:transfer/actions/public-url", (req) => {
      const transfer = requireTransfer(state(), requireApp(state(), req.params.app), req.params.transfer);
      const url = `${ctx.baseUrl()}/__dumps/${transfer.uuid}?signature=${ctx.sign(transfer.uuid)}`;
      return json(200, { url, expires_at: new Date(Date.now() + 10 * 60_000).toISOString() });
    }),
    // Fetched without a token, like a signed S3 URL; the signature is the credential.
    route("GET", "/__dumps/:uuid", (req) => {
      if (req.query.get("signature") !== ctx.sign(req.params.uuid)) throw new ApiError(403, "forbidden", "Invalid or missing signature.");
      return { status: 200, body: null, raw: { contentType: "application/octet-stream", data: Buffer.from(`PGDMP emulated dump ${req.params.uuid}\n`) } };
    }),
    route("GET", "/postgres/v0/databases/:db/credentials", (req) => json(200, credentialsJson(requireDatabase(state(), req.params.db)))),
  ];
}
