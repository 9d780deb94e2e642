// `npm run sandbox [-- --reset] [-- --scale MB]`: the rehearsal environment on its own.
import { ConfigError } from "@/lib/env/parse";
import { redactUrl } from "@/lib/pg/url";
import { sandboxEnv } from "./env";
import { resetSandbox, startSandbox, type RunningSandbox } from "./start";

const say = (line: string) => process.stdout.write(`[sandbox] ${line}\n`);

function parseArgs(argv: string[]): { reset: boolean; scaleMb?: number } {
  const args = { reset: false, scaleMb: undefined as number | undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--reset") args.reset = true;
    else if (argv[i] === "--scale") {
      const mb = Number(argv[++i]);
      if (!Number.isFinite(mb) || mb < 1) throw new ConfigError("sandbox: --scale takes a size in megabytes, e.g. --scale 1000");
      args.scaleMb = mb;
    } else throw new ConfigError(`sandbox: unknown option ${argv[i]}; use --reset or --scale MB`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const env = sandboxEnv();
  if (args.reset) {
    await resetSandbox(env.home);
    say("sandbox state, databases and credentials removed");
  }
  const started = Date.now();
  const sandbox: RunningSandbox = await startSandbox({
    home: env.home,
    emulatorPort: env.SANDBOX_PORT,
    routerPort: env.SANDBOX_ROUTER_PORT,
    sourcePgPort: env.SANDBOX_SOURCE_PG_PORT,
    targetPgPort: env.SANDBOX_TARGET_PG_PORT,
    scaleMb: args.scaleMb ?? env.SANDBOX_SCALE_MB,
    faults: env.SANDBOX_FAULTS,
    restartMs: env.SANDBOX_RESTART_MS,
    say,
  });
  const { info } = sandbox;
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`Heroku API emulator: ${info.emulatorUrl}`);
  say(`API token:           ${info.apiToken}`);
  for (const app of info.apps) {
    say(`app ${app.name}:    ${app.routerUrl}`);
    say(`  source (Heroku Postgres ${app.sourceAddon}): ${redactUrl(app.sourceDatabaseUrl)}`);
    say(`  target ("RDS"):                             ${redactUrl(app.targetDatabaseUrl)}`);
  }
  say(`details with passwords: ${env.home}/sandbox.json (mode 0600); Ctrl-C stops everything`);
  const stop = async () => {
    say("stopping…");
    await sandbox.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `sandbox failed to start: ${(err as Error).message}`}\n`);
  process.exit(1);
});
