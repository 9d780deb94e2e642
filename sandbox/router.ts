import http from "node:http";
import { randomUUID } from "node:crypto";
import { applicationErrorPage, maintenancePage } from "./pages";

export interface RouterOptions {
  port: number;
  appName: string;
  maintenance: () => boolean;
  webPorts: () => number[];
}

/**
 * The app's public URL, as Heroku's router: a 503 maintenance page while maintenance is on,
 * an application error when no web dyno answers, otherwise a proxy to a web dyno.
 */
export function startRouter(opts: RouterOptions): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    res.setHeader("via", "1.1 switchyard-sandbox-router");
    if (opts.maintenance()) return sendPage(res, 503, maintenancePage(opts.appName));
    const ports = opts.webPorts();
    if (ports.length === 0) return sendPage(res, 503, applicationErrorPage(opts.appName, "H14 no web dynos running"));
    const port = ports[next++ % ports.length]!;
    proxy(req, res, port, requestId, opts.appName);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve(server));
  });
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, port: number, requestId: string, appName: string) {
  const upstream = http.request(
    { host: "127.0.0.1", port, method: req.method, path: req.url, headers: { ...req.headers, "x-request-id": requestId } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.setTimeout(30_000, () => upstream.destroy(new Error("H12 request timeout")));
  upstream.on("error", (err) => {
    if (!res.headersSent) sendPage(res, 503, applicationErrorPage(appName, err.message));
    else res.destroy();
  });
  req.pipe(upstream);
}

function sendPage(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "30" });
  res.end(html);
}
