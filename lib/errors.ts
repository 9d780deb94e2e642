/** Codes a verb may fail with; each maps to one HTTP status in httpStatusOf. */
export type ErrorCode =
  | "invalid_input"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "unavailable";

export interface FieldError {
  path: string;
  message: string;
}

/** An expected failure of a use case, safe to show to the person who caused it. */
export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unavailable: 503,
};

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code];
}

export const notFound = (what: string) => new DomainError("not_found", `${what} was not found`);
export const conflict = (message: string) => new DomainError("conflict", message);
