// Shapes of the Heroku answers the worker relies on. Only the fields used are declared (zod
// strips the rest), so a new field never breaks us and a missing one fails loudly.
import { z } from "zod";

const Ref = z.object({ id: z.string(), name: z.string() });

export const App = z.object({ id: z.string(), name: z.string(), maintenance: z.boolean() });
export type App = z.infer<typeof App>;

/** The effective config: plain vars plus attachment-provided `<NAME>_URL` vars. Values are secrets. */
export const ConfigVars = z.record(z.string(), z.string());
export type ConfigVars = z.infer<typeof ConfigVars>;

export const AddOn = z.object({
  id: z.string(),
  name: z.string(),
  app: Ref,
  addon_service: z.object({ name: z.string() }),
  plan: z.object({ name: z.string() }),
  state: z.string(),
  /** Names (not values) of the vars the add-on sets on its billing app. */
  config_vars: z.array(z.string()).optional(),
});
export type AddOn = z.infer<typeof AddOn>;

export const Attachment = z.object({
  id: z.string(),
  name: z.string(),
  namespace: z.string().nullish(),
  app: Ref,
  addon: Ref.extend({ app: Ref }),
});
export type Attachment = z.infer<typeof Attachment>;

export const FormationEntry = z.object({ type: z.string(), quantity: z.number().int(), size: z.string() });
export type FormationEntry = z.infer<typeof FormationEntry>;

export const Release = z.object({
  id: z.string(),
  version: z.number().int(),
  description: z.string(),
  status: z.string(),
  current: z.boolean(),
});
export type Release = z.infer<typeof Release>;

const InfoValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? "" : String(v)));

/** Data API `GET /client/v11/databases/{id}`. `resource_url` (a secret) is deliberately not kept. */
export const DatabaseInfo = z
  .object({
    addon_id: z.string(),
    name: z.string(),
    plan: z.string(),
    postgres_version: z.string().nullish(),
    num_bytes: z.number().nullish(),
    num_tables: z.number().nullish(),
    following: z.string().nullish(),
    leader: z.unknown().optional(),
    "waiting?": z.boolean().optional(),
    info: z.array(z.object({ name: z.string(), values: z.array(InfoValue) })),
  })
  .transform(({ "waiting?": waiting, ...rest }) => ({ ...rest, waiting: waiting ?? false }));
export type DatabaseInfo = z.infer<typeof DatabaseInfo>;

/** Data API `wait_status`; the `?`-suffixed keys are renamed. */
export const WaitStatus = z
  .object({ "waiting?": z.boolean(), "error?": z.boolean().optional(), message: z.string() })
  .transform((s) => ({ waiting: s["waiting?"], error: s["error?"] ?? false, message: s.message }));
export type WaitStatus = z.infer<typeof WaitStatus>;

/** A running dyno and the release it runs: a config change has taken effect once every dyno runs it. */
export const Dyno = z.object({
  name: z.string(),
  type: z.string(),
  state: z.string(),
  release: z.object({ version: z.number().int() }),
});
export type Dyno = z.infer<typeof Dyno>;
export const Dynos = z.array(Dyno);

/** One dyno by name, or a one-off just started (POST /apps/{app}/dynos): `command` and `created_at` come with it. */
export const DynoDetail = Dyno.extend({
  id: z.string(),
  command: z.string().optional(),
  size: z.string().optional(),
  attach_url: z.string().nullish(),
  created_at: z.string().optional(),
});
export type DynoDetail = z.infer<typeof DynoDetail>;

/** `logplex_url` is a credential (signed, read without a token): never log it. */
export const LogSession = z.object({ id: z.string(), logplex_url: z.string().url() });
export type LogSession = z.infer<typeof LogSession>;

export const Addons = z.array(AddOn);
export const Attachments = z.array(Attachment);
export const Formation = z.array(FormationEntry);
export const Releases = z.array(Release);
