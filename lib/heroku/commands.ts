// The Heroku CLI line equivalent to each client operation, for the run log (`$ heroku …`).
// Every config-var value is written as ****; names, apps and add-ons are kept.

export const MASK = "****";

export type HerokuCall =
  | { command: "apps:info"; app: string }
  | { command: "maintenance"; app: string; on: boolean }
  | { command: "config"; app: string }
  /** PATCH semantics: a null value unsets the var. */
  | { command: "config:set"; app: string; vars: Record<string, string | null> }
  | { command: "addons"; app: string }
  | { command: "addons:info"; addon: string; app?: string }
  | { command: "addons:attach"; app: string; addon: string; as: string; confirm?: string }
  | { command: "addons:detach"; attachment: string; app?: string }
  | { command: "ps"; app: string; dyno?: string }
  | { command: "ps:stop"; app: string; dyno: string }
  /** `run` is the command line; only the names of `env` are kept (values are secrets). */
  | { command: "run:detached"; app: string; run: string; envNames: string[]; size?: string }
  | { command: "logs"; app: string; dyno?: string; source?: string; lines?: number; tail?: boolean }
  | { command: "ps:scale"; app: string; updates: Array<{ type: string; quantity: number }> }
  | { command: "releases"; app: string; max?: number }
  | { command: "pg:info"; database: string; app?: string }
  | { command: "pg:wait"; database: string; app?: string }
  /** Not a single request: the engine's rollback (wait_status + attach as DATABASE with confirm). */
  | { command: "pg:promote"; app: string; addon: string };

/** Leaves shell-safe words alone and single-quotes the rest, so a line can be pasted. */
function arg(word: string): string {
  return /^[\w.:@/=*,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `heroku <words> -a <app> <trailing flags>`, in the order the runbook writes them. */
function line(words: string[], app?: string, trailing: string[] = []): string {
  return ["heroku", ...words, ...(app ? ["-a", app] : []), ...trailing].map(arg).join(" ");
}

function configLine(app: string, vars: Record<string, string | null>): string {
  const set = Object.entries(vars).filter(([, v]) => v !== null).map(([k]) => `${k}=${MASK}`);
  const unset = Object.entries(vars).filter(([, v]) => v === null).map(([k]) => k);
  const lines: string[] = [];
  if (set.length > 0 || unset.length === 0) lines.push(line(["config:set", ...set], app));
  if (unset.length > 0) lines.push(line(["config:unset", ...unset], app));
  // One PATCH can both set and unset; the CLI needs two commands for that.
  return lines.join(" && ");
}

/** `heroku run:detached -a app -e 'A=****;B=****' -- cmd`: the CLI's --env splits on ';'. */
function runLine(call: Extract<HerokuCall, { command: "run:detached" }>): string {
  const env = call.envNames.length > 0 ? ["-e", call.envNames.map((n) => `${n}=${MASK}`).join(";")] : [];
  return line(["run:detached"], call.app, [...env, ...(call.size ? ["-s", call.size] : []), "--", call.run]);
}

export function commandLine(call: HerokuCall): string {
  switch (call.command) {
    case "apps:info":
    case "config":
    case "addons":
      return line([call.command], call.app);
    case "ps":
      return line(["ps", ...(call.dyno ? [call.dyno] : [])], call.app);
    case "ps:stop":
      return line(["ps:stop", call.dyno], call.app);
    case "run:detached":
      return runLine(call);
    case "logs":
      return line(["logs"], call.app, [
        ...(call.dyno ? ["--dyno", call.dyno] : []), ...(call.source ? ["--source", call.source] : []),
        ...(call.lines !== undefined ? ["-n", String(call.lines)] : []), ...(call.tail ? ["--tail"] : []),
      ]);
    case "maintenance":
      return line([call.on ? "maintenance:on" : "maintenance:off"], call.app);
    case "config:set":
      return configLine(call.app, call.vars);
    case "addons:info":
      return line(["addons:info", call.addon], call.app);
    case "addons:attach":
      return line(["addons:attach", call.addon, "--as", call.as], call.app, call.confirm !== undefined ? ["--confirm", call.confirm] : []);
    case "addons:detach":
      return line(["addons:detach", call.attachment], call.app);
    case "ps:scale":
      return line(["ps:scale", ...call.updates.map((u) => `${u.type}=${u.quantity}`)], call.app);
    case "releases":
      return line(["releases"], call.app, call.max !== undefined ? ["-n", String(call.max)] : []);
    case "pg:info":
    case "pg:wait":
      return line([call.command, call.database], call.app);
    case "pg:promote":
      return line(["pg:promote", call.addon], call.app);
  }
}
