import { revokeApiToken } from "@/lib/auth/api-tokens";
import { route } from "@/app/_lib/route";

type Params = { params: Promise<{ id: string }> };

/** Revokes a token at once. */
export const DELETE = route(async (_req, ctx, { params }: Params) => revokeApiToken({ ctx, input: { id: (await params).id } }));
