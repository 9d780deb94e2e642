import { z } from "zod";
import { defineStepKind } from "../types";
import { requiredText } from "./text";

export const sqlKind = defineStepKind({
  kind: "database.sql",
  title: "SQL on the target",
  params: z.object({
    sql: requiredText("the reviewed SQL to run", 100_000).meta({ title: "SQL", description: "Reviewed SQL, run in one transaction as the app's own role" }),
    /** The seeds' rule for migrations: a second run must succeed and change nothing. */
    runTwice: z.boolean().default(false).meta({
      title: "Run twice and prove idempotent",
      description: "Run it a second time: that run must succeed and change no schema object and no row count on the target (it is rolled back if it would)",
    }),
  }),
  does: ({ runTwice }) =>
    `Run the reviewed SQL on the target as the app's own role, in one transaction${runTwice ? ", then again, proving the second run changes no schema object and no row count" : ""}.`,
  rollback: { kind: "none" },
  undoes: () => "Nothing is undone on the target: the rollback moves the app back to the source, which this SQL never touched",
  // After the switch the target is the app's database.
  touchesApp: true,
  runsIn: ["live", "rehearsal"],
  estimateMs: ({ runTwice }) => (runTwice ? 4_000 : 2_000),
  cancel: "interruptible",
  placement: { after: "verify", why: "verify compares the target with the source, so nothing may change the target before the copy is proven equal" },
});
