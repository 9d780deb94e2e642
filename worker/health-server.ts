import http from "node:http";

/** The worker's HTTP server: /healthz now; the websocket endpoint /ws attaches to it. */
export function startHealthServer(opts: { host: string; port: number; workerId: string }): Promise<http.Server> {
  const startedAt = new Date().toISOString();
  const server = http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, workerId: opts.workerId, startedAt }));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not_found", message: "the worker serves /healthz and /ws only" }));
  });
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`WORKER_WS_PORT ${opts.port} is already in use; set WORKER_WS_PORT to a free port`) : err),
    );
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
