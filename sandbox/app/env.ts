import { z } from "zod";
import { parseEnv } from "@/lib/env/parse";
import { port, postgresUrl } from "@/lib/env/fields";

// The sample app reads only what a Heroku dyno gets: its config vars plus PORT and DYNO.
const AppEnv = z
  .object({
    DATABASE_URL: postgresUrl,
    DYNO: z.string().regex(/^(web|worker)\.\d+$/, "must be a dyno name like web.1 or worker.1"),
    APP_NAME: z.string().min(1, "must not be empty"),
    /** Heroku gives every dyno a PORT; only web dynos listen on it. */
    PORT: port.optional(),
    WORKER_INTERVAL_MS: z.coerce
      .number({ message: "must be a number of milliseconds" })
      .int("must be a whole number of milliseconds")
      .min(10, "must be at least 10 milliseconds")
      .default(1000),
  })
  .superRefine((env, ctx) => {
    if (env.DYNO.startsWith("web.") && env.PORT === undefined) {
      ctx.addIssue({ code: "custom", path: ["PORT"], message: "is required for web dynos" });
    }
  });

export type AppEnv = z.infer<typeof AppEnv> & { processType: "web" | "worker" };

/** Parsed once at boot; a problem becomes a one-line ConfigError naming the variable. */
export function appEnv(source: Record<string, string | undefined> = process.env): AppEnv {
  const env = parseEnv("sample-app", AppEnv, source);
  return { ...env, processType: env.DYNO.startsWith("web.") ? "web" : "worker" };
}
