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
  return body as T;
}
