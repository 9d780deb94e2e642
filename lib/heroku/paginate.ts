// List calls: follow `Next-Range` verbatim until a page comes without it (section 0 of the
// reference), concatenating the pages. Each page is its own request with its own retries.
import { HerokuResponseError } from "./errors";
import type { HerokuRequest, Transport } from "./transport";

// A server that keeps answering Next-Range (or repeats one) would otherwise loop forever.
const MAX_PAGES = 1000;

export async function fetchAllPages(transport: Transport, req: HerokuRequest, firstRange?: string): Promise<unknown[]> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let range = firstRange;
  for (let page = 1; ; page++) {
    const headers = { ...req.headers, ...(range !== undefined ? { Range: range } : {}) };
    const res = await transport.send({ ...req, headers });
    if (!Array.isArray(res.body)) {
      throw new HerokuResponseError(req.method, req.path, res.status, "expected a JSON array (a list page)");
    }
    items.push(...res.body);
    const next = res.headers.get("next-range");
    if (next === null || next.trim() === "") return items;
    if (seen.has(next) || page >= MAX_PAGES) {
      throw new HerokuResponseError(req.method, req.path, res.status, `pagination does not end (Next-Range "${next}" after ${page} pages)`);
    }
    seen.add(next);
    range = next;
  }
}
