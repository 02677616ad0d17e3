// The in-house request core against openapi-fetch itself: the same calls go through both, and the requests they
// build (URL, method, headers, body) and the answers they give must be the same.
import createClient, { type Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { createClientObject } from "../src/operations.js";

const BASE = "https://acme.dealcloud.com/api/rest/v4/data";
type Call = [method: string, path: string, init?: Record<string, unknown> | undefined];
type Answer = { data?: unknown; error?: unknown; response: Response };
type Client = Record<string, (...args: unknown[]) => Promise<Answer>>;
const api = { scopes: [] };

/** The request as the network would see it, in a form `toEqual` compares. */
async function picture(request: Request) {
  return {
    url: request.url,
    method: request.method,
    headers: [...(request.headers as unknown as Iterable<[string, string]>)],
    body: request.body ? await request.text() : undefined,
    redirect: request.redirect,
    cache: request.cache,
  };
}

/** Both clients over the same answer; each call's request picture and answer. */
function both(answer: () => Response, headers?: Record<string, unknown>) {
  const make = (kind: "ours" | "theirs") => {
    const seen: Awaited<ReturnType<typeof picture>>[] = [];
    const send = async (request: Request) => {
      seen.push(await picture(request));
      return answer();
    };
    const client =
      kind === "ours"
        ? createClientObject(api, [], send, false, `${BASE}/`, headers)
        : createClient({ baseUrl: `${BASE}/`, fetch: send, ...(headers ? { headers: headers as never } : {}) });
    return { client: client as unknown as Client, seen };
  };
  return { ours: make("ours"), theirs: make("theirs") };
}

async function compare(calls: Call[], answer: () => Response, headers?: Record<string, unknown>) {
  const { ours, theirs } = both(answer, headers);
  for (const [method, path, init] of calls) {
    const run = (client: Client) =>
      method === "request" ? client.request!(init!.method, path, init) : client[method]!(path, init);
    const [mine, reference] = await Promise.all([run(ours.client), run(theirs.client)]);
    expect({ data: mine.data, error: mine.error, status: mine.response.status }).toEqual({
      data: reference.data,
      error: reference.error,
      status: reference.response.status,
    });
  }
  expect(ours.seen).toEqual(theirs.seen);
  return ours.seen;
}

const json =
  (body: unknown, status = 200) =>
  () =>
    Response.json(body, { status });

describe("the request core builds requests exactly as openapi-fetch does", () => {
  it("fills path parameters, encoded, and leaves a missing one as written", async () => {
    const seen = await compare(
      [
        ["GET", "/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "company" } } }],
        ["GET", "/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: 2011 } } }],
        ["GET", "/entryfiles/{entryId}/fields/{fieldId}", { params: { path: { entryId: "a b/c?", fieldId: 7 } } }],
        ["GET", "/rows/{viewId}", { params: { path: { viewId: ["x y", 2] } } }],
        ["GET", "/rows/{viewId}", { params: { path: {} } }],
      ],
      json([]),
    );
    expect(seen[2]!.url).toBe(`${BASE}/entryfiles/a%20b%2Fc%3F/fields/7`);
  });

  it("writes queries: primitives encoded, arrays form/explode, objects deepObject, empties left out", async () => {
    const seen = await compare(
      [
        ["GET", "/rows", { params: { query: { pageSize: 100, skip: 0, q: "a&b=c ü", flag: true } } }],
        [
          "GET",
          "/rows",
          { params: { query: { fields: ["Name", "Deal Size"], none: [], gone: null, nope: undefined } } },
        ],
        ["GET", "/rows", { params: { query: { filter: { name: "x y", size: 3 } } } }],
        ["GET", "/rows", { params: { query: {} } }],
        ["GET", "/rows", { params: { query: { ids: [1, null, 2] } } }],
      ],
      json([]),
    );
    expect(seen[1]!.url).toBe(`${BASE}/rows?fields=Name&fields=Deal%20Size`);
    expect(seen[2]!.url).toBe(`${BASE}/rows?filter[name]=x%20y&filter[size]=3`);
  });

  it("honours querySerializer options and functions", async () => {
    await compare(
      [
        [
          "GET",
          "/rows",
          { params: { query: { a: [1, 2] } }, querySerializer: { array: { style: "form", explode: false } } },
        ],
        [
          "GET",
          "/rows",
          { params: { query: { a: [1, 2] } }, querySerializer: { array: { style: "pipeDelimited", explode: false } } },
        ],
        [
          "GET",
          "/rows",
          { params: { query: { a: [1, 2] } }, querySerializer: { array: { style: "spaceDelimited", explode: false } } },
        ],
        [
          "GET",
          "/rows",
          {
            params: { query: { o: { k: "v w", n: 1 } } },
            querySerializer: { object: { style: "form", explode: false } },
          },
        ],
        [
          "GET",
          "/rows",
          { params: { query: { o: { k: "v", n: 1 } } }, querySerializer: { object: { style: "form", explode: true } } },
        ],
        ["GET", "/rows", { params: { query: { q: "a/b?c", a: ["x/y"] } }, querySerializer: { allowReserved: true } }],
        [
          "GET",
          "/rows",
          { params: { query: { n: 5 } }, querySerializer: (query: { n: number }) => `?n=${query.n * 2}` },
        ],
      ],
      json([]),
    );
  });

  it("refuses a nested value in a query, as openapi-fetch does", async () => {
    const { ours, theirs } = both(json([]));
    const init = { params: { query: { deep: [[1]] } } };
    await expect(theirs.client.GET!("/rows", init)).rejects.toThrow(Error);
    await expect(ours.client.GET!("/rows", init)).rejects.toThrow(/querySerializer/);
  });

  it("merges headers (client, call, parameters; null deletes, arrays append) and sets JSON only with a body", async () => {
    await compare(
      [
        ["GET", "/rows"],
        ["GET", "/rows", { headers: { "As-User": 6045, "X-Base": null } }],
        ["GET", "/rows", { headers: new Headers({ "X-One": "1" }), params: { header: { "X-Two": 2 } } }],
        ["GET", "/rows", { headers: { "X-Many": ["a", "b"], "X-None": undefined } }],
        ["POST", "/rows", { body: { name: "x" }, headers: { "Content-Type": "application/json; charset=utf-8" } }],
        ["POST", "/rows", { body: { name: "x" }, headers: { "Content-Type": null } }],
        ["PUT", "/rows", { body: [1, 2] }],
        ["PATCH", "/rows", { body: "text" }],
        ["POST", "/rows", { body: null }],
      ],
      json({ ok: true }),
      { "X-Base": "base", "As-User": 1 },
    );
  });

  it("serialises bodies: JSON, form-encoded when the headers say so, FormData as is, or a custom serializer", async () => {
    const form = new FormData();
    form.set("model", JSON.stringify({ a: 1 }));
    const { ours, theirs } = both(json({}));
    await ours.client.POST!("/files", { body: form });
    await theirs.client.POST!("/files", { body: form });
    expect(ours.seen[0]!.headers.find(([key]) => key === "content-type")?.[1]).toMatch(/^multipart\/form-data/);
    expect(ours.seen[0]!.body).toContain('{"a":1}');
    await compare(
      [
        [
          "POST",
          "/token",
          { body: { a: "1 2", b: "x" }, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
        ],
        ["POST", "/rows", { body: { a: 1 }, bodySerializer: (body: unknown) => `<${JSON.stringify(body)}>` }],
      ],
      json({}),
    );
  });

  it("passes RequestInit keys, a call's own baseUrl and pathSerializer, and request(method, …)", async () => {
    await compare(
      [
        ["GET", "/rows", { cache: "no-store", redirect: "error" }],
        ["GET", "/rows", { baseUrl: "https://acme.dealcloud.com/other/" }],
        ["GET", "/rows/{id}", { params: { path: { id: 1 } }, pathSerializer: (url: string) => `${url}/x` }],
        ["request", "/rows", { method: "delete" }],
      ],
      json(true),
    );
  });
});

describe("the client's own keys beside openapi-fetch's", () => {
  it("takes a null init as an empty one, as openapi-fetch did", async () => {
    const { ours, theirs } = both(json({ ok: 1 }));
    const [mine, reference] = await Promise.all([ours.client.GET!("/rows", null), theirs.client.GET!("/rows", null)]);
    expect(mine.data).toEqual(reference.data);
    expect(ours.seen).toEqual(theirs.seen);
  });

  it("lets a call's own fetch replace the transport, and leaves timeoutMs on the request for it", async () => {
    const seen: Request[] = [];
    const transport = async () => Response.json({ from: "transport" });
    const client = createClientObject(api, [], transport, false, BASE, undefined) as unknown as Client;
    const own = async (request: Request) => (seen.push(request), Response.json({ from: "own" }));

    expect((await client.GET!("/rows", { fetch: own, timeoutMs: 5 })).data).toEqual({ from: "own" });
    expect((await client.GET!("/rows", { fetch: undefined })).data).toEqual({ from: "transport" });
    expect((seen[0] as Request & { timeoutMs?: number }).timeoutMs).toBe(5);
  });
});

describe("the request core answers exactly as openapi-fetch does", () => {
  const cases: [string, () => Response, Record<string, unknown>?][] = [
    ["JSON", json({ rows: [1] })],
    ["JSON with a length", () => new Response('{"a":1}', { headers: { "content-length": "7" } })],
    ["an empty body", () => new Response("", { status: 200 })],
    ["a zero length", () => new Response(null, { status: 200, headers: { "content-length": "0" } })],
    ["204", () => new Response(null, { status: 204 })],
    ["a JSON error", json({ message: "Access denied." }, 403)],
    ["a text error", () => new Response("Bad gateway", { status: 502 })],
    ["an empty error", () => new Response(null, { status: 500, headers: { "content-length": "0" } })],
    ["text", () => new Response("plain"), { parseAs: "text" }],
    ["arrayBuffer", () => new Response("bytes"), { parseAs: "arrayBuffer" }],
  ];
  for (const [name, answer, init] of cases) {
    it(`reads ${name}`, async () => {
      await compare(
        [
          ["GET", "/rows", init],
          ["POST", "/rows", { ...init, body: {} }],
        ],
        answer,
      );
    });
  }

  it("answers a HEAD without reading a body", async () => {
    await compare([["HEAD", "/rows"]], json({ a: 1 }));
  });
});

describe("middleware runs as in openapi-fetch", () => {
  /** Records each hook's call, in order, for both clients. */
  function recorder(log: string[], name: string): Middleware {
    return {
      onRequest: ({ request, schemaPath, params, options, id }) => {
        log.push(
          `${name} request ${request.method} ${schemaPath} ${JSON.stringify(params)} ${typeof id} ${options.parseAs}`,
        );
      },
      onResponse: ({ response }) => void log.push(`${name} response ${response.status}`),
      onError: ({ error }) => void log.push(`${name} error ${(error as Error).message}`),
    };
  }

  it("calls onRequest in order and onResponse in reverse, with client and per-call middleware", async () => {
    const logs = { ours: [] as string[], theirs: [] as string[] };
    const { ours, theirs } = both(json({ ok: 1 }));
    for (const [kind, side] of [
      ["ours", ours],
      ["theirs", theirs],
    ] as const) {
      const first = recorder(logs[kind], "first");
      const dropped = recorder(logs[kind], "dropped");
      side.client.use!(first, dropped);
      side.client.eject!(dropped);
      await side.client.GET!("/rows/{id}", {
        params: { path: { id: 1 } },
        middleware: [recorder(logs[kind], "call")],
      });
    }
    expect(logs.ours).toEqual(logs.theirs);
    expect(logs.ours).toHaveLength(4);
  });

  it("lets onRequest replace the request or answer instead of the network, and onResponse replace the answer", async () => {
    const { ours, theirs } = both(json({ from: "network" }));
    for (const side of [ours, theirs]) {
      side.client.use!({
        onRequest: ({ request }: { request: Request }) =>
          request.url.endsWith("/short")
            ? Response.json({ from: "middleware" })
            : new Request(`${request.url}?x=1`, request),
        onResponse: ({ response }: { response: Response }) =>
          response.status === 200 ? undefined : Response.json({ replaced: true }),
      });
    }
    for (const path of ["/short", "/long"]) {
      const [mine, reference] = await Promise.all([ours.client.GET!(path), theirs.client.GET!(path)]);
      expect(mine.data).toEqual(reference.data);
    }
    expect(ours.seen).toEqual(theirs.seen);
    expect(ours.seen[0]!.url).toBe(`${BASE}/long?x=1`);
  });

  it("hands a failed send to onError, which may answer or rethrow something else", async () => {
    const failing = (kind: "ours" | "theirs", onError: Middleware["onError"]) => {
      const send = async () => {
        throw new TypeError("fetch failed");
      };
      const client = (kind === "ours"
        ? createClientObject(api, [], send, false, BASE, undefined)
        : createClient({ baseUrl: BASE, fetch: send })) as unknown as Client;
      client.use!({ onError } as Middleware);
      return client;
    };
    for (const kind of ["ours", "theirs"] as const) {
      const answered = await failing(kind, () => Response.json({ offline: true })).GET!("/rows");
      expect(answered.data).toEqual({ offline: true });
      await expect(failing(kind, () => new RangeError("mapped")).GET!("/rows")).rejects.toThrow(RangeError);
      await expect(failing(kind, () => undefined).GET!("/rows")).rejects.toThrow("fetch failed");
    }
  });

  it("refuses middleware that is not an object with a hook, and a hook that returns something else", async () => {
    const { ours, theirs } = both(json({}));
    for (const side of [ours, theirs]) {
      expect(() => side.client.use!({} as never)).toThrow(Error);
      side.client.use!(undefined as never);
      side.client.use!({ onRequest: () => "nonsense" as never });
      await expect(side.client.GET!("/rows")).rejects.toThrow(/onRequest/);
    }
  });
});
