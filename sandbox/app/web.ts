import http from "node:http";
import type { AppContext } from "./context";
import { route } from "./routes";

export interface WebDyno {
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then resolves. */
  stop(graceMs: number): Promise<void>;
}

/** The web process: one HTTP server on PORT, one log line per request. */
export async function startWeb(ctx: AppContext, port: number): Promise<WebDyno> {
  let stopping = false;
  const server = http.createServer((req, res) => {
    const started = performance.now();
    // While stopping, keep-alive clients must reconnect (to another dyno) after this answer.
    if (stopping) res.setHeader("Connection", "close");
    res.on("finish", () => {
      const ms = Math.round(performance.now() - started);
      ctx.log.info(`at=request method=${req.method} path=${JSON.stringify(req.url)} status=${res.statusCode} service=${ms}ms`);
    });
    void route(req, res, ctx);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return {
    stop: (graceMs) => {
      stopping = true;
      return closeGracefully(server, graceMs);
    },
  };
}

function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Connections that finish their last request become idle; close those as they appear.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
