import "server-only";
import { DomainError } from "@/lib/errors";

const MAX_BODY_BYTES = 256 * 1024;

/** The request's JSON body, or a 400 that says what is wrong with it. */
export async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new DomainError("invalid_input", `the request body is larger than ${MAX_BODY_BYTES / 1024} kB`);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid_input", "the request body is not valid JSON");
  }
}
