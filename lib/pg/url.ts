/** Masks the password of a postgres:// URL; anything unparsable is masked whole after the scheme. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = "****";
    return url.toString();
  } catch {
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*$/i, (_m, scheme: string | undefined) => `${scheme ?? ""}****`);
  }
}

/** The parts of a connection URL that are safe to show: never the password. */
export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function describePgUrl(value: string): PgTarget {
  const url = new URL(value);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
  };
}

/** Same server and credentials, another database: used to create and clone databases. */
export function withDatabase(value: string, database: string): string {
  const url = new URL(value);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The password of a parsed URL, from its userinfo or a `password=` parameter. */
export function passwordOf(url: URL): string {
  return url.password ? decodeURIComponent(url.password) : (url.searchParams.get("password") ?? "");
}

/** Every password in these URLs, for redacting child output and error messages. */
export function passwordsOf(urls: readonly string[]): string[] {
  return urls.map((u) => passwordOf(new URL(u))).filter((p) => p.length > 0);
}
