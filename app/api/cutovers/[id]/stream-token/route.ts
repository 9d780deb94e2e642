import { mintStreamToken } from "@/lib/run/mint-stream-token";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** A short-lived token for the worker's websocket, bound to this cutover. */
export const POST = route(async (_req: Request, ctx, { params }: Params) => mintStreamToken({ ctx, input: { cutoverId: (await params).id } }));
