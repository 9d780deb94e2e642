import { z } from "zod";

/** A required text param: a missing one says what to enter, as an empty one does. */
export const requiredText = (what: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : "must be text") })
    .trim()
    .min(1, `is required: ${what}`)
    .max(max, `is too long (${max.toLocaleString("en-US")} characters at most)`);
