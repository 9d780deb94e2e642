/** A failure that retrying cannot fix (bad input, a refused precondition): the step fails at once. */
export class PermanentStepError extends Error {
  override name = "PermanentStepError";
}

export const permanent = (message: string) => new PermanentStepError(message);
