/**
 * Next.js declares NODE_ENV as a required key of NodeJS.ProcessEnv; a child process given an
 * explicit, minimal environment has none, which is the point. This states that once.
 */
export function childProcessEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return vars as unknown as NodeJS.ProcessEnv;
}
