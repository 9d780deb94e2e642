/**
 * A platform failure that retrying cannot fix (the app was changed under the cutover, a name
 * is taken): the worker fails the step at once, as it does for its own permanent errors.
 */
export class PermanentPlatformError extends Error {
  override name = "PermanentPlatformError";
}

export const isPermanentPlatformError = (err: unknown): err is PermanentPlatformError => err instanceof PermanentPlatformError;
