import { z } from "zod";
import { defineStepKind } from "../types";

const UNDO = "Promote the source database back to DATABASE (as `heroku pg:promote` does), set DATABASE_URL to it and wait until every dyno runs on it";

export const switchKind = defineStepKind({
  kind: "platform.switch",
  title: "Switch",
  params: z.object({
    alias: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be an attachment name such as SWITCHYARD_ROLLBACK_DB").default("SWITCHYARD_ROLLBACK_DB").meta({
      title: "Rollback alias",
      description: "The attachment name the source database keeps on the app after the switch, for a rollback (capital letters, digits and _)",
    }),
  }),
  does: () => "Attach the source add-on under a rollback alias, detach DATABASE by id, set DATABASE_URL to the target and read it back.",
  rollback: { kind: "undo", says: UNDO },
  undoes: () => UNDO.replace(/`/g, ""),
  touchesApp: true,
  runsIn: ["live"],
  estimateMs: () => 10_000,
  // Each sub-step checks the current state, but a switch stopped halfway leaves no database attached.
  cancel: "finishes_first",
});
