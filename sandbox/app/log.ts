import { redact } from "@/lib/security/redact";

export interface AppLog {
  info(message: string): void;
  error(message: string): void;
}

// The dyno manager already stamps each line with time and dyno name, as Heroku's log router
// does, so a line here is just the event. Everything goes through redact: no password leaks
// even if a driver error quotes a connection string.
export function createAppLog(secrets: readonly string[]): AppLog {
  const write = (stream: NodeJS.WriteStream, level: string) => (message: string) => {
    stream.write(`${level} ${redact(message, secrets).replace(/\s*\n\s*/g, " ")}\n`);
  };
  return { info: write(process.stdout, "info"), error: write(process.stdout, "error") };
}

/** The password of a connection URL, so logs and pages can mask it even outside URL syntax. */
export function urlSecrets(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}
