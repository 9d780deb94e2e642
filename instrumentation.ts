// Runs once when the Next.js server starts: check the configuration and apply migrations,
// so `npm start` on a new database works without a separate step.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { webEnv } = await import("@/lib/env/web");
  const { migrate } = await import("@/lib/db/migrate");
  const env = webEnv();
  await migrate(env.DATABASE_URL);
}
