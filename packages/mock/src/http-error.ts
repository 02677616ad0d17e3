import { json } from "./http.js";

/**
 * A refusal an API route throws: the area turns it into `status` with DealCloud's `{ message }` error body
 * (the shape the vendor docs show for 4xx answers), so route code reads as a list of rules.
 */
export class MockHttpError extends Error {
  override readonly name = "MockHttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    return json(this.status, { message: this.message }, this.headers);
  }
}

/** Throws a 400 with `message` (the status DealCloud uses for every documented validation error). */
export function badRequest(message: string): never {
  throw new MockHttpError(400, message);
}
