// Error answers in the Platform API's shape: `{id, message}` plus optional fields such as
// `resource` on not_found. Handlers throw ApiError; the HTTP layer turns it into a response.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { id: this.id, message: this.message, ...this.extra };
  }
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "bad_request", message);
}

export function invalidParams(message: string): ApiError {
  return new ApiError(422, "invalid_params", message);
}

export function appNotFound(): ApiError {
  return new ApiError(404, "not_found", "Couldn't find that app.", { resource: "app" });
}

export function addonNotFound(): ApiError {
  return new ApiError(404, "not_found", "Couldn't find that add-on.", { resource: "addon" });
}

export function attachmentNotFound(): ApiError {
  return new ApiError(404, "not_found", "Couldn't find that add on attachment.", {
    resource: "add_on attachment",
  });
}

export function notFound(resource: string, message: string): ApiError {
  return new ApiError(404, "not_found", message, { resource });
}

// Status for a taken attachment name is unconfirmed; the heroku/cli tests model it as 400 and
// the CLI keys only on the id.
export function confirmationRequired(message: string): ApiError {
  return new ApiError(400, "confirmation_required", message);
}
