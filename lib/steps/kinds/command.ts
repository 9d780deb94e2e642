import { z } from "zod";
import { defineStepKind } from "../types";
import { requiredText } from "./text";

const noNul = (text: string) => !text.includes("\0");

export const commandKind = defineStepKind({
  kind: "platform.command",
  title: "Command on a one-off dyno",
  params: z.object({
    command: requiredText("the command line to run, e.g. bin/rails db:migrate", 2_000)
      .refine(noNul, "must not contain NUL characters")
      .meta({
        title: "Command",
        description: "A shell command line, run as `heroku run` runs it, with the app's config after the switch (e.g. bin/rails db:migrate). Its output goes into the run log; a non-zero exit fails the step",
      }),
    /** The seeds' rule for migrations: a second run must succeed and change nothing. */
    runTwice: z.boolean().default(false).meta({
      title: "Run twice and prove idempotent",
      description: "Run it a second time: that run must exit 0 and change no schema object and no row count on the target",
    }),
    timeoutSeconds: z
      .number({ message: "must be a number of seconds" })
      .int("must be a whole number of seconds")
      .min(10, "must be at least 10 seconds")
      .max(21_600, "must be at most 21600 seconds (6 hours)")
      .default(1800)
      .meta({ title: "Timeout (seconds)", description: "Each run is stopped, and the step fails, once it has run this long (10 to 21600; default 1800)" }),
  }),
  does: ({ runTwice }) =>
    `Run the command on a one-off dyno with the app's config, which names the target since the switch; its output goes into the run log and a non-zero exit fails the step${runTwice ? ". Then run it again, proving the second run exits 0 and changes no schema object and no row count on the target" : ""}.`,
  rollback: { kind: "none" },
  undoes: () => "Nothing is undone: the rollback moves the app back to the source; what the command changed elsewhere (the target, other services) stays as it left it",
  touchesApp: true,
  // One-off dynos run with the app's live config: a rehearsal cannot run one without touching the app.
  runsIn: ["live"],
  // A one-off dyno's boot plus a typical migration; the command's own time is what it takes.
  estimateMs: ({ runTwice }) => (runTwice ? 2 : 1) * 60_000,
  cancel: "interruptible",
  placement: { after: "switch", why: "the dyno gets the app's config, which names the target only after the switch" },
});
