import { childProcessEnv } from "@/lib/child-env";
import { toolConnection } from "@/lib/pg/connect";

/**
 * The whole environment a pg tool runs with, built from scratch: nothing inherited can leak a
 * PGPASSWORD, a PGSERVICE or another PG* default into the child. LC_ALL=C keeps the tools'
 * messages in English, which the progress parser reads.
 */
export function toolEnv(passfilePath: string, url?: string): NodeJS.ProcessEnv {
  return childProcessEnv({
    // TLS as the URL asks (PGSSLMODE, PGSSLROOTCERT), kept out of argv like the password.
    ...(url ? toolConnection(url).env : {}),
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/",
    PGPASSFILE: passfilePath,
    PGAPPNAME: "switchyard",
    PGCONNECT_TIMEOUT: "10",
    LC_ALL: "C",
  });
}

/** The `--dbname` a tool gets: no password, no TLS parameters (those travel in toolEnv). */
export const toolDbname = (url: string): string => toolConnection(url).dbname;

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell quoting, for showing a command someone could paste. */
export function shellQuote(arg: string): string {
  return SAFE_WORD.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The shell line equivalent to running `tool args`, for `log.command`. */
export function shellLine(tool: string, args: readonly string[]): string {
  return [tool, ...args].map(shellQuote).join(" ");
}
