// Response bodies in the Platform API's field names. Only the fields the CLI and the worker
// read are filled with meaning; the rest are plausible constants.
import { createHash } from "node:crypto";
import { type ApiRequest, header } from "./http";
import { isCurrent } from "./releases";
import {
  type AddonRecord, type AppRecord, type AttachmentRecord, type EmulatorState, type FormationRecord,
  type ReleaseRecord, attachmentVar, requireAddon, requireApp,
} from "./state";

const OWNER = { id: "5b0a1e0c-0000-4000-8000-000000000001", email: "rehearsal@switchyard.local" };

/** Stable uuid-shaped id for catalogue items (plans, services) that have no record. */
export function stableId(text: string): string {
  const h = createHash("sha1").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PLAN_CENTS: Record<string, number> = { "essential-0": 500, "essential-1": 900, "standard-0": 5000, "standard-2": 20000, "premium-0": 20000 };

export function appRef(app: AppRecord) {
  return { id: app.id, name: app.name };
}

export function appJson(app: AppRecord) {
  return {
    id: app.id, name: app.name, maintenance: app.maintenance,
    region: { id: stableId("region:us"), name: "us" },
    stack: { id: stableId("stack:heroku-24"), name: "heroku-24" },
    build_stack: { id: stableId("stack:heroku-24"), name: "heroku-24" },
    owner: OWNER, team: null, organization: null, space: null, acm: false, archived_at: null,
    internal_routing: null, buildpack_provided_description: "Node.js",
    git_url: `https://git.heroku.com/${app.name}.git`, web_url: `https://${app.name}.herokuapp.com/`,
    created_at: app.createdAt, updated_at: app.updatedAt, released_at: app.releases.at(-1)?.createdAt ?? app.createdAt,
    repo_size: null, slug_size: null, stack_name: "heroku-24",
  };
}

function planJson(plan: string, expanded: boolean) {
  const base = { id: stableId(`plan:${plan}`), name: plan };
  if (!expanded) return base;
  const cents = PLAN_CENTS[plan.split(":")[1] ?? ""] ?? 0;
  return { ...base, human_name: plan.split(":")[1] ?? plan, state: "public", price: { cents, unit: "month", contract: false, metered: false } };
}

function serviceJson(plan: string, expanded: boolean) {
  const name = plan.split(":")[0];
  const base = { id: stableId(`service:${name}`), name };
  return expanded ? { ...base, human_name: name === "heroku-postgresql" ? "Heroku Postgres" : name, state: "ga" } : base;
}

/** `expand` holds Accept-Expansion entries (`addon_service`, `plan`). */
export function addonJson(state: EmulatorState, addon: AddonRecord, expand: Set<string>) {
  const billing = requireApp(state, addon.appId);
  const configVars = state.attachments.filter((a) => a.addonId === addon.id && a.appId === billing.id).map(attachmentVar);
  const plan = planJson(addon.plan, expand.has("plan"));
  return {
    id: addon.id, name: addon.name, app: appRef(billing), addon_service: serviceJson(addon.plan, expand.has("addon_service")),
    plan, billed_price: { cents: PLAN_CENTS[addon.plan.split(":")[1] ?? ""] ?? 0, contract: false, unit: "month" },
    state: addon.state, config_vars: configVars, provider_id: addon.id, actions: [],
    created_at: addon.createdAt, updated_at: addon.updatedAt,
    web_url: `https://data.heroku.com/datastores/${addon.id}`,
  };
}

/** `include` holds Accept-Inclusion entries (`addon:plan`, `config_vars`). */
export function attachmentJson(state: EmulatorState, attachment: AttachmentRecord, include: Set<string>) {
  const app = requireApp(state, attachment.appId);
  const addon = requireAddon(state, attachment.addonId);
  const addonRef = { id: addon.id, name: addon.name, app: appRef(requireApp(state, addon.appId)) };
  return {
    id: attachment.id, name: attachment.name, namespace: attachment.namespace, app: appRef(app),
    addon: include.has("addon:plan") ? { ...addonRef, plan: planJson(addon.plan, false) } : addonRef,
    ...(include.has("config_vars") ? { config_vars: [attachmentVar(attachment)] } : {}),
    created_at: attachment.createdAt, updated_at: attachment.updatedAt,
    web_url: `https://data.heroku.com/datastores/${addon.id}`, log_input_url: null,
  };
}

export function releaseJson(app: AppRecord, release: ReleaseRecord) {
  return {
    id: release.id, version: release.version, description: release.description, status: release.status,
    current: isCurrent(app, release), created_at: release.createdAt, updated_at: release.updatedAt,
    app: appRef(app), user: OWNER, slug: null, addon_plan_names: [], output_stream_url: null,
  };
}

export function formationJson(app: AppRecord, formation: FormationRecord) {
  return {
    id: formation.id, type: formation.type, quantity: formation.quantity, size: formation.size,
    command: formation.command, app: appRef(app), created_at: app.createdAt, updated_at: formation.updatedAt,
  };
}

function headerSet(value: string | undefined): Set<string> {
  return new Set((value ?? "").split(",").map((s) => s.trim()).filter(Boolean));
}

/** `Accept-Expansion: addon_service,plan` */
export function expansionOf(req: ApiRequest): Set<string> {
  return headerSet(header(req.headers, "accept-expansion"));
}

/** `Accept-Inclusion: addon:plan,config_vars` */
export function inclusionOf(req: ApiRequest): Set<string> {
  return headerSet(header(req.headers, "accept-inclusion"));
}
