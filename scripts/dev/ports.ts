import net from "node:net";

/** Fails early, naming the variable to change, when a port is already taken. */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  if (!free) throw new Error(`port ${port} is already in use: stop what is using it or set ${variable} to a free port`);
}

/** Polls a URL until it answers with the expected status, or throws after the timeout. */
export async function waitForHttp(url: string, timeoutMs: number, expect = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (res.status === expect) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer ${expect} within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}
