import { InvalidResponseError } from "./errors.js";

const decoder = /* @__PURE__ */ new TextDecoder();

// Only errors need the operation's name; it is not worth a URL parse on every request.
export const operationOf = (request: Request) => `${request.method} ${new URL(request.url).pathname}`;

/** Answers whose `json()` returns the value parsed here, without parsing again. */
export const parsedAnswers = new WeakSet<Response>();

/**
 * Reads an answer's whole body inside the attempt, so the attempt's time limit and the caller's signal cover the
 * body too (a body dripping for minutes is a timeout, not a success), at most `maxBytes` of it. Hands back the
 * answer with its body methods (`text`, `json`, `clone`, …) serving the bytes read. A 2xx JSON body is parsed
 * here, once: a page of HTML from a proxy or JSON cut short is an `InvalidResponseError` instead of a
 * `SyntaxError` in the caller's hands, and `json()` returns the parsed value without parsing again.
 */
export async function readAnswer(response: Response, maxBytes: number, request: Request): Promise<Response> {
  const { status, headers } = response;
  const refuse = (code: "RESPONSE_TOO_LARGE" | "REDIRECT_REFUSED", what: string) =>
    new InvalidResponseError(operationOf(request), status, what, code);
  // DealCloud's API does not redirect: one means a wrong address or a proxy, and following it would send the
  // request's body to whatever site it names (fetch forwards a 307's body) and take that site's answer as data.
  if (response.type === "opaqueredirect" || (status > 300 && status < 400 && status !== 304)) {
    await response.body?.cancel();
    throw refuse("REDIRECT_REFUSED", `a redirect (not followed) to ${headers.get("location") ?? "a hidden address"}`);
  }
  const tooLarge = () => refuse("RESPONSE_TOO_LARGE", `over maxResponseBytes (${maxBytes})`);
  if (Number(headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  // A declared length within the cap (or no body) is read in one go, the runtime's fast path; otherwise chunk by
  // chunk, counted.
  const bytes =
    response.body && !headers.has("content-length")
      ? await readAll(response.body, maxBytes, tooLarge)
      : new Uint8Array(await response.arrayBuffer());
  const text = decoder.decode(bytes);
  const type = headers.get("content-type");
  let parsed: unknown;
  if (response.ok && text !== "" && status !== 204) {
    // No content type: `test` reads null as "null", which is not HTML.
    if (/html/i.test(type!)) throw new InvalidResponseError(operationOf(request), status, "HTML");
    if (!type || /json/i.test(type)) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new InvalidResponseError(operationOf(request), status, "invalid JSON");
      }
    }
  }
  if (parsed !== undefined) parsedAnswers.add(response);
  // The answer itself, its body now read: cheaper than building a second Response on every request.
  const copy = () => new Response(bytes.length ? bytes.slice() : null, response);
  return Object.assign(response, {
    text: async () => text,
    // A body of `null` parses to null again.
    json: async () => parsed ?? copy().json(),
    arrayBuffer: () => copy().arrayBuffer(),
    blob: () => copy().blob(),
    clone: copy,
  });
}

async function readAll(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
  return chunks.length === 1 ? chunks[0]! : new Uint8Array(await new Blob(chunks).arrayBuffer());
}
