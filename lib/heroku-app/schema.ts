import { z } from "zod";

export const AddHerokuAppInput = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,29}$/, "must be a Heroku app name: lower-case letters, digits and dashes, 2–30 characters"),
  apiBaseUrl: z
    .string()
    .url("must be a URL such as https://api.heroku.com")
    .refine((u) => !URL.canParse(u) || /^https?:$/.test(new URL(u).protocol), "must start with https:// (or http:// for a local emulator)")
    .transform((u) => u.replace(/\/+$/, "")),
  apiToken: z.string().trim().min(8, "must be a Heroku API token").max(512, "is too long"),
});
export type AddHerokuAppInput = z.input<typeof AddHerokuAppInput>;
