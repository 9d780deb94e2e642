/** The JSON error body every route handler returns. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }> };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody["error"],
  ) {
    super(body.message);
  }
}

/** fetch + JSON, turning error bodies into ApiError with the server's message. */
export async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error ?? { code: "http_error", message: `The server answered ${res.status}` });
  // A server that is restarting may answer 200 with a page instead of JSON: an error to retry, never data.
  if (body === null) throw new ApiError(res.status, { code: "bad_response", message: "The server's answer was not JSON (it may be restarting)" });
  return body as T;
}

/** A mutation: JSON body in, JSON out; the browser adds the same-origin Origin header the server checks. */
export async function apiSend<T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error ?? { code: "http_error", message: `The server answered ${res.status}` });
  return data as T;
}
