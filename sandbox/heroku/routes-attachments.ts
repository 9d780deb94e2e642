// Platform API attachment endpoints: lists, lookups, attach, detach and the attachment resolver.
import { z } from "zod";
import { attach, detach } from "./attachments";
import type { EmulatorContext } from "./context";
import { type Route, header, json, parseBody, route } from "./http";
import { paginate } from "./pagination";
import { resolveAttachments } from "./resolve";
import { attachmentJson, inclusionOf } from "./serialize";
import { type AttachmentRecord, attachmentsOfApp, requireApp, requireAppAttachment } from "./state";

/** `"name"`, `{"name": ...}` or `{"id": ...}`, as the schema's identity references allow. */
const Ref = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1).optional(), name: z.string().min(1).optional() })
    .refine((r) => r.id !== undefined || r.name !== undefined, "needs an id or a name"),
]).transform((r) => (typeof r === "string" ? r : (r.id ?? r.name ?? "")));

const AttachBody = z.object({
  addon: Ref,
  app: Ref,
  name: z.string().min(1).max(64).nullish(),
  confirm: z.string().nullish(),
  namespace: z.string().nullish(),
});

const ResolveBody = z.object({
  addon_attachment: z.string().min(1),
  app: z.string().nullish(),
  addon_service: z.string().nullish(),
});

const rangeFields = { id: (a: AttachmentRecord) => a.id, name: (a: AttachmentRecord) => a.name };

export function attachmentRoutes(ctx: EmulatorContext): Route[] {
  const state = () => ctx.state();
  return [
    route("GET", "/addon-attachments", (req) =>
      paginate(state().attachments, header(req.headers, "range"), rangeFields, "id", (a) => attachmentJson(state(), a, inclusionOf(req)))),
    route("GET", "/apps/:app/addon-attachments", (req) => {
      const list = attachmentsOfApp(state(), requireApp(state(), req.params.app));
      return paginate(list, header(req.headers, "range"), rangeFields, "id", (a) => attachmentJson(state(), a, inclusionOf(req)));
    }),
    route("GET", "/apps/:app/addon-attachments/:attachment", (req) => {
      const app = requireApp(state(), req.params.app);
      return json(200, attachmentJson(state(), requireAppAttachment(state(), app, req.params.attachment), inclusionOf(req)));
    }),
    route("POST", "/addon-attachments", async (req) => {
      const body = parseBody(AttachBody, req.body);
      const { attachment, released } = attach(state(), body, ctx.plainVarCollision);
      await ctx.announce(released);
      return json(201, attachmentJson(state(), attachment, inclusionOf(req)));
    }),
    route("DELETE", "/addon-attachments/:id", async (req) => {
      const before = state().attachments.find((a) => a.id === req.params.id);
      const body = before && attachmentJson(state(), before, inclusionOf(req));
      const { released } = detach(state(), req.params.id);
      await ctx.announce(released);
      return json(200, body);
    }),
    route("POST", "/actions/addon-attachments/resolve", (req) => {
      const body = parseBody(ResolveBody, req.body);
      const found = resolveAttachments(state(), body.addon_attachment, body.app);
      return json(200, found.map((a) => attachmentJson(state(), a, inclusionOf(req))));
    }),
  ];
}
