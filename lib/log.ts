import { redact } from "@/lib/security/redact";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Process logs on stderr/stdout, redacted like everything else Switchyard prints. */
export function createLogger(processName: string, level: LogLevel = "info"): Logger {
  const write = (at: LogLevel) => (message: string) => {
    if (ORDER[at] < ORDER[level]) return;
    const line = `${new Date().toISOString()} ${at.padEnd(5)} ${processName}: ${redact(message)}\n`;
    (at === "error" || at === "warn" ? process.stderr : process.stdout).write(line);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
