import { buildOpenApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

/** The OpenAPI 3.1 description of this API; public (it describes, it does not reveal). */
export function GET(): Response {
  return new Response(JSON.stringify(buildOpenApiDocument(), null, 2), {
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
