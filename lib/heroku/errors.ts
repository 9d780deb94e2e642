// Errors the Heroku client throws. Messages name the request (method + path) and what Heroku
// said, never the token or a request body, so they are safe to log and show.

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function afterAttempts(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : "";
}

/** Heroku answered with an error status; `id` and `herokuMessage` come from its `{id, message}` body. */
export class HerokuApiError extends Error {
  override name = "HerokuApiError";
  constructor(
    readonly status: number,
    readonly id: string | null,
    readonly herokuMessage: string,
    readonly requestId: string | null,
    readonly method: string,
    readonly path: string,
    readonly attempts = 1,
  ) {
    const what = id ? `${status} ${id}` : String(status);
    super(`Heroku API ${method} ${path} answered ${what}: ${oneLine(herokuMessage)}${afterAttempts(attempts)}`);
  }
}

/** No answer: refused, reset, DNS failure or timeout. `code` is the socket error code when known. */
export class HerokuNetworkError extends Error {
  override name = "HerokuNetworkError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    readonly code: string | null,
    readonly timedOut: boolean,
    readonly attempts = 1,
    options?: { cause?: unknown },
  ) {
    const detail = timedOut ? reason : `could not be reached: ${reason}${code && !reason.includes(code) ? ` (${code})` : ""}`;
    super(`Heroku API ${method} ${path} ${detail}${afterAttempts(attempts)}`, options);
  }
}

/** A 2xx answer whose body does not have the shape we rely on (wrong host, API change, proxy page). */
export class HerokuResponseError extends Error {
  override name = "HerokuResponseError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: string,
  ) {
    super(`Heroku API ${method} ${path} answered ${status} with an unexpected body: ${problem}`);
  }
}
