import { expect } from "vitest";
import type { TestDatabase } from "./test-db";

/** Every literal secret and every URL's password, as they could appear in text. */
function needles(values: string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    out.add(value);
    try {
      const password = new URL(value).password;
      if (password) out.add(decodeURIComponent(password));
    } catch {
      // not a URL: the literal is enough
    }
  }
  return [...out].filter((n) => n.length >= 6);
}

/** Fails if any secret appears in a log line, an audit row, a step's output or error, or a run. */
export async function scanForSecrets(t: TestDatabase, secrets: string[]): Promise<void> {
  const rows = await t.db.$queryRawUnsafe<Array<{ body: string }>>(`
    SELECT text AS body FROM log_lines
    UNION ALL SELECT row_to_json(a)::text FROM audit_events a
    UNION ALL SELECT row_to_json(s)::text FROM step_runs s
    UNION ALL SELECT row_to_json(r)::text FROM cutover_runs r
    UNION ALL SELECT row_to_json(c)::text FROM cutovers c
    UNION ALL SELECT row_to_json(m)::text FROM smoke_results m`);
  for (const needle of needles(secrets)) {
    const leak = rows.find((r) => r.body.includes(needle));
    expect(leak?.body.slice(0, 300), `secret found in stored data`).toBeUndefined();
  }
}
