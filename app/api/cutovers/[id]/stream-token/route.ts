import { mintStreamToken } from "@/lib/run/mint-stream-token";
import { webEnv } from "@/lib/env/web";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** A short-lived token for the worker's websocket, bound to this cutover, and where that websocket is. */
export const POST = route(async (req: Request, ctx, { params }: Params) => {
  const minted = await mintStreamToken({ ctx, input: { cutoverId: (await params).id } });
  return { ...minted, wsUrl: workerWsUrl(req) };
});

// Without SWITCHYARD_WORKER_WS_URL the worker is assumed beside the web process, on the host the browser used.
function workerWsUrl(req: Request): string {
  const env = webEnv();
  if (env.SWITCHYARD_WORKER_WS_URL) return env.SWITCHYARD_WORKER_WS_URL;
  const host = new URL(req.url).hostname;
  const hostname = req.headers.get("host")?.replace(/:\d+$/, "") || host;
  return `ws://${hostname}:${env.WORKER_WS_PORT}/ws`;
}
