// Typed Heroku operations over the transport: one method per request the runbook needs.
// Each announces its CLI-equivalent call (onCall) before sending, for the `$ heroku …` log.
import { z } from "zod";
import type { HerokuCall } from "./commands";
import { fetchAllPages } from "./paginate";
import { parseAnswer } from "./parse-answer";
import type { HerokuRequest, Transport } from "./transport";
import {
  AddOn, Addons, App, Attachment, Attachments, ConfigVars, DatabaseInfo, DynoDetail, Formation, LogSession, Releases,
  WaitStatus, Dynos,
} from "./types";

export interface ApiOptions {
  /** Ask for pages of this size (Range max=N); default: the server's page size. */
  pageSize?: number;
  onCall?: (call: HerokuCall) => void | Promise<void>;
}

export interface CreateAttachmentInput {
  addon: string;
  app: string;
  name: string;
  /** The app name: lets the attachment replace an existing one of that name (pg:promote does this). */
  confirm?: string;
  namespace?: string | null;
}

export interface RunDetachedInput {
  command: string;
  /** Applied over the release's config vars for this dyno only. Values are secrets: never logged. */
  env?: Record<string, string>;
  /** Heroku kills the dyno after this many seconds. */
  timeToLiveS?: number;
  size?: string;
}

export interface LogSessionInput {
  /** A dyno name (`run.1234`) or a process type. */
  dyno?: string;
  source?: "app" | "heroku";
  /** Lines from before the session to send first (Heroku: at most 1500, default 100). */
  lines?: number;
  /** Keep the stream open for new lines (for a one-off, until it has exited). */
  tail?: boolean;
}

const seg = encodeURIComponent;
// Action endpoints answer 202 with an empty object (or nothing); whatever they say is not used.
const Accepted = z.unknown();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const identity = (idOrName: string) => (UUID.test(idOrName) ? { id: idOrName } : { name: idOrName });

// The emulator (and Heroku's documented ranges) accept max up to 1000.
const MAX_RANGE = 1000;

function checkMax(max: number): number {
  if (!Number.isInteger(max) || max < 1 || max > MAX_RANGE) throw new RangeError(`max must be an integer from 1 to ${MAX_RANGE}, got ${max}`);
  return max;
}

export function herokuApi(transport: Transport, options: ApiOptions = {}) {
  const pageMax = options.pageSize === undefined ? "" : `max=${checkMax(options.pageSize)}`;

  async function one<S extends z.ZodType>(call: HerokuCall, req: HerokuRequest, schema: S): Promise<z.output<S>> {
    await options.onCall?.(call);
    const res = await transport.send(req);
    return parseAnswer(schema, res.body, { method: req.method, path: req.path, status: res.status });
  }

  async function all<S extends z.ZodType>(call: HerokuCall, path: string, schema: S, range?: string): Promise<z.output<S>> {
    await options.onCall?.(call);
    const first = range ?? (pageMax ? `id ..; ${pageMax}` : undefined);
    const items = await fetchAllPages(transport, { method: "GET", path }, first);
    return parseAnswer(schema, items, { method: "GET", path, status: 200 });
  }

  return {
    getApp: (app: string) => one({ command: "apps:info", app }, { method: "GET", path: `/apps/${seg(app)}` }, App),
    setMaintenance: (app: string, on: boolean) =>
      one({ command: "maintenance", app, on }, { method: "PATCH", path: `/apps/${seg(app)}`, body: { maintenance: on } }, App),
    getConfigVars: (app: string) => one({ command: "config", app }, { method: "GET", path: `/apps/${seg(app)}/config-vars` }, ConfigVars),
    /** null unsets a var. Answers the full resulting config; the whole PATCH fails if one key is attachment-owned. */
    setConfigVars: (app: string, vars: Record<string, string | null>) =>
      one({ command: "config:set", app, vars }, { method: "PATCH", path: `/apps/${seg(app)}/config-vars`, body: vars }, ConfigVars),
    listAddons: (app: string) => all({ command: "addons", app }, `/apps/${seg(app)}/addons`, Addons),
    getAddon: (idOrName: string) => one({ command: "addons:info", addon: idOrName }, { method: "GET", path: `/addons/${seg(idOrName)}` }, AddOn),
    listAttachments: (app: string) => all({ command: "addons", app }, `/apps/${seg(app)}/addon-attachments`, Attachments),
    getAttachment: (app: string, idOrName: string) =>
      one({ command: "addons:info", addon: idOrName, app }, { method: "GET", path: `/apps/${seg(app)}/addon-attachments/${seg(idOrName)}` }, Attachment),
    createAttachment: (input: CreateAttachmentInput) => {
      const body = {
        addon: identity(input.addon), app: identity(input.app), name: input.name,
        ...(input.confirm !== undefined ? { confirm: input.confirm } : {}),
        ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
      };
      const call: HerokuCall = { command: "addons:attach", app: input.app, addon: input.addon, as: input.name, confirm: input.confirm };
      return one(call, { method: "POST", path: "/addon-attachments", body }, Attachment);
    },
    /** `label` only improves the logged CLI line (`addons:detach DATABASE -a acme` instead of the id). */
    deleteAttachment: (id: string, label: { app?: string; name?: string } = {}) =>
      one({ command: "addons:detach", attachment: label.name ?? id, app: label.app }, { method: "DELETE", path: `/addon-attachments/${seg(id)}` }, Attachment),
    listDynos: (app: string) => all({ command: "ps", app }, `/apps/${seg(app)}/dynos`, Dynos),
    getFormation: (app: string) => all({ command: "ps", app }, `/apps/${seg(app)}/formation`, Formation, pageMax ? `type ..; ${pageMax}` : undefined),
    scaleFormation: (app: string, updates: Array<{ type: string; quantity: number }>) =>
      one({ command: "ps:scale", app, updates }, { method: "PATCH", path: `/apps/${seg(app)}/formation`, body: { updates } }, Formation),
    /** Newest first. With `max`, one page of that many (like the CLI's `done, vN` lookup); else every release. */
    listReleases: async (app: string, opts: { max?: number } = {}) => {
      const path = `/apps/${seg(app)}/releases`;
      const call: HerokuCall = { command: "releases", app, max: opts.max };
      if (opts.max === undefined) return all(call, path, Releases, `version ..; ${pageMax ? `${pageMax}, ` : ""}order=desc`);
      const Range = `version ..; max=${checkMax(opts.max)}, order=desc`;
      return one(call, { method: "GET", path, headers: { Range } }, Releases);
    },
    /** `heroku run:detached`: answers at once with the dyno (`run.N`, state starting); read its output with a log session. */
    runDetached: (app: string, input: RunDetachedInput) => {
      const body = {
        command: input.command, attach: false, type: "run",
        ...(input.env ? { env: input.env } : {}),
        ...(input.timeToLiveS !== undefined ? { time_to_live: input.timeToLiveS } : {}),
        ...(input.size ? { size: input.size } : {}),
      };
      const call: HerokuCall = { command: "run:detached", app, run: input.command, envNames: Object.keys(input.env ?? {}), size: input.size };
      return one(call, { method: "POST", path: `/apps/${seg(app)}/dynos`, body }, DynoDetail);
    },
    getDyno: (app: string, name: string) =>
      one({ command: "ps", app, dyno: name }, { method: "GET", path: `/apps/${seg(app)}/dynos/${seg(name)}` }, DynoDetail),
    /** `heroku ps:stop run.N`: a one-off stops for good (SIGTERM, then SIGKILL); a formation dyno is restarted. Answers 202 `{}`. */
    stopDyno: async (app: string, name: string): Promise<void> =>
      void (await one({ command: "ps:stop", app, dyno: name }, { method: "POST", path: `/apps/${seg(app)}/dynos/${seg(name)}/actions/stop` }, Accepted)),
    /** Its logplex_url is read without a token (readOneOffOutput); it is a credential, so it is not logged. */
    createLogSession: (app: string, input: LogSessionInput = {}) => {
      const call: HerokuCall = { command: "logs", app, dyno: input.dyno, source: input.source, lines: input.lines, tail: input.tail };
      return one(call, { method: "POST", path: `/apps/${seg(app)}/log-sessions`, body: input }, LogSession);
    },
    databaseInfo: (addonId: string) =>
      one({ command: "pg:info", database: addonId }, { method: "GET", host: "data", path: `/client/v11/databases/${seg(addonId)}` }, DatabaseInfo),
    waitStatus: (addonId: string) =>
      one({ command: "pg:wait", database: addonId }, { method: "GET", host: "data", path: `/client/v11/databases/${seg(addonId)}/wait_status` }, WaitStatus),
  };
}

export type HerokuApi = ReturnType<typeof herokuApi>;
