// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import type { Client } from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ApiClient,
  type ApiDescriptor,
  type CallInit,
  type CallOptions,
  createApiClient,
  createDealCloud,
  type ThrowingApiClient,
} from "../src/index.js";

type Json<T> = { headers: Record<string, unknown>; content: { "application/json": T } };
type Op<Parameters, Response> = {
  parameters: Parameters;
  requestBody?: { content: { "application/json": { name: string } } };
  responses: { 200: Json<Response>; 403: Json<{ message: string }> };
};
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
type Paging = { query?: { pageSize?: number }; header?: { "As-User"?: number }; path?: never; cookie?: never };
type ById = { query?: never; header?: never; path: { id: number }; cookie?: never };
type Thing = { id: number; name: string };

/** One path with every method openapi-fetch has, and one whose path parameter makes the init required. */
interface Paths {
  "/things": {
    parameters: NoParameters;
    get: Op<Paging, Thing[]>;
    put: Op<Paging, Thing>;
    post: Op<Paging, Thing>;
    delete: Op<Paging, boolean>;
    options: Op<Paging, string[]>;
    head: Op<Paging, unknown>;
    patch: Op<Paging, Thing>;
    trace: Op<Paging, unknown>;
  };
  "/things/{id}": { parameters: NoParameters; get: Op<ById, Thing> };
}
const things: ApiDescriptor<Paths> = {
  name: "things",
  packageName: "@dealcloud-ts/things",
  basePath: "/api/rest/v4/things",
  scopes: ["data"],
  operationScopes: {},
};
const credentials = { baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" };
const client = createApiClient(things, credentials);
const throwing = createApiClient(things, { ...credentials, throwOnError: true });
/** openapi-fetch's own client over the same paths: the reference for what every answer type must stay. */
declare const bare: Client<Paths>;
const byId = { params: { path: { id: 7 } } };

describe("the request init of both modes", () => {
  it("refuses misspelt top-level keys on every method of the plain client", () => {
    const typed = () => {
      // @ts-expect-error: `header` for `headers` would silently drop As-User
      void client.GET("/things", { header: { "As-User": 6045 } });
      // @ts-expect-error: `parms` for `params`
      void client.PUT("/things", { parms: { query: { pageSize: 1 } } });
      // @ts-expect-error: `bodyy` for `body`
      void client.POST("/things", { bodyy: { name: "x" } });
      // @ts-expect-error: `param` for `params`
      void client.DELETE("/things", { param: { query: { pageSize: 1 } } });
      // @ts-expect-error: `header` for `headers`
      void client.OPTIONS("/things", { header: {} });
      // @ts-expect-error: `parms` for `params`
      void client.HEAD("/things", { parms: {} });
      // @ts-expect-error: `bodyy` for `body`
      void client.PATCH("/things", { bodyy: { name: "x" } });
      // @ts-expect-error: `param` for `params`
      void client.TRACE("/things", { param: {} });
      // @ts-expect-error: `header` for `headers`, through request(method, path, init)
      void client.request("get", "/things", { header: { "As-User": 6045 } });
      // @ts-expect-error: `bodyy` for `body`, through request(method, path, init)
      void client.request("post", "/things", { bodyy: { name: "x" } });
      // @ts-expect-error: a misspelt key next to a required init
      void client.GET("/things/{id}", { ...byId, header: { "As-User": 6045 } });
      // @ts-expect-error: `param` for the required `params`
      void client.GET("/things/{id}", { param: { path: { id: 7 } } });
    };
    void typed;
  });

  it("refuses misspelt top-level keys on every method of the throwing client", () => {
    const typed = () => {
      // @ts-expect-error: `header` for `headers`
      void throwing.GET("/things", { header: { "As-User": 6045 } });
      // @ts-expect-error: `parms` for `params`
      void throwing.PUT("/things", { parms: {} });
      // @ts-expect-error: `bodyy` for `body`
      void throwing.POST("/things", { bodyy: { name: "x" } });
      // @ts-expect-error: `param` for `params`
      void throwing.DELETE("/things", { param: {} });
      // @ts-expect-error: `header` for `headers`
      void throwing.OPTIONS("/things", { header: {} });
      // @ts-expect-error: `parms` for `params`
      void throwing.HEAD("/things", { parms: {} });
      // @ts-expect-error: `bodyy` for `body`
      void throwing.PATCH("/things", { bodyy: { name: "x" } });
      // @ts-expect-error: `param` for `params`
      void throwing.TRACE("/things", { param: {} });
      // @ts-expect-error: `header` for `headers`, through request(method, path, init)
      void throwing.request("get", "/things", { header: {} });
      // @ts-expect-error: `parms` for `params`, through request(method, path, init)
      void throwing.request("put", "/things", { parms: {} });
      // @ts-expect-error: `param` for the required `params`
      void throwing.GET("/things/{id}", { param: { path: { id: 7 } } });
    };
    void typed;
  });

  it("refuses a misspelt key held in a variable too, not only in an object literal", () => {
    const typed = () => {
      const init = { headers: { "As-User": 6045 }, header: { "As-User": 6045 } };
      // @ts-expect-error: `header` in a prepared init
      void client.GET("/things", init);
      // @ts-expect-error: `header` in a prepared init
      void throwing.GET("/things", init);
    };
    void typed;
  });

  it("still takes every legitimate key: openapi-fetch's, any RequestInit key and timeoutMs", () => {
    const typed = () => {
      const signal = new AbortController().signal;
      const everything = {
        params: { query: { pageSize: 10 }, header: { "As-User": 6045 } },
        body: { name: "x" },
        headers: { "As-User": 6045 },
        signal,
        parseAs: "json",
        querySerializer: { array: { style: "form", explode: true } },
        bodySerializer: (body: unknown) => JSON.stringify(body),
        pathSerializer: (path: string) => path,
        baseUrl: "https://acme.dealcloud.com/api/rest/v4/things",
        fetch: (request: Request) => globalThis.fetch(request),
        middleware: [{ onRequest: () => undefined }],
        cache: "no-store",
        credentials: "omit",
        keepalive: true,
        redirect: "error",
        integrity: "",
        mode: "cors",
        priority: "high",
        referrer: "",
        referrerPolicy: "no-referrer",
        timeoutMs: 5_000,
      } satisfies CallInit<Paths, "/things", "post">;
      void client.POST("/things", everything);
      void throwing.POST("/things", everything);
      void client.request("post", "/things", everything);
      void throwing.request("post", "/things", everything);
      void client.GET("/things", { querySerializer: (query) => String(query.pageSize) });
      void client.GET("/things/{id}", { ...byId, timeoutMs: 65_000, signal });
      void throwing.GET("/things/{id}", { ...byId, timeoutMs: 65_000, headers: { "As-User": 6045 } });
      void client.GET("/things", { timeoutMs: 1 });
      void client.GET("/things", {});
      void client.GET("/things");
      void throwing.GET("/things");
      void client.request("get", "/things");
      void client.PUT("/things", { cache: "reload" });
      void client.DELETE("/things", { credentials: "include" });
      void client.OPTIONS("/things", { keepalive: false });
      void client.HEAD("/things", { redirect: "manual" });
      void client.PATCH("/things", { body: { name: "x" }, signal });
      void client.TRACE("/things", { parseAs: "text" });
    };
    void typed;
  });

  it("type-checks the values of legitimate keys, timeoutMs included", () => {
    const typed = () => {
      // @ts-expect-error: timeoutMs is a number of ms
      void client.GET("/things", { timeoutMs: "60000" });
      // @ts-expect-error: timeoutMs is a number of ms, next to other keys too
      void throwing.GET("/things", { headers: {}, timeoutMs: "60000" });
      // @ts-expect-error: cache takes a RequestCache
      void client.GET("/things", { cache: "sometimes" });
      // @ts-expect-error: parseAs takes json, text, blob, arrayBuffer or stream
      void client.GET("/things", { parseAs: "xml" });
      // @ts-expect-error: the query parameter is a number
      void client.GET("/things", { params: { query: { pageSize: "10" } } });
      // @ts-expect-error: a body needs its required fields
      void client.POST("/things", { body: {} });
      // @ts-expect-error: the path parameter is required, so the init is too
      void client.GET("/things/{id}");
      // @ts-expect-error: the path parameter is required, so the init is too
      void throwing.request("get", "/things/{id}");
      // @ts-expect-error: the path parameter is missing
      void client.GET("/things/{id}", { params: { path: {} } });
      // @ts-expect-error: a wrong path is a compile error
      void client.GET("/thing", {});
      // @ts-expect-error: /things/{id} has no POST
      void throwing.POST("/things/{id}", byId);
    };
    void typed;
  });

  it("documents timeoutMs as this call's attempt limit", () => {
    expectTypeOf<CallOptions["timeoutMs"]>().toEqualTypeOf<number | undefined>();
  });
});

describe("the answers", () => {
  it("are exactly openapi-fetch's in the plain mode", () => {
    const typed = async () => {
      expectTypeOf(await client.GET("/things")).toEqualTypeOf(await bare.GET("/things"));
      expectTypeOf(await client.GET("/things/{id}", byId)).toEqualTypeOf(await bare.GET("/things/{id}", byId));
      expectTypeOf(await client.POST("/things", { body: { name: "x" } })).toEqualTypeOf(
        await bare.POST("/things", { body: { name: "x" } }),
      );
      expectTypeOf(await client.GET("/things", { parseAs: "text" })).toEqualTypeOf(
        await bare.GET("/things", { parseAs: "text" }),
      );
      expectTypeOf(await client.request("delete", "/things")).toEqualTypeOf(await bare.request("delete", "/things"));
      const { data, error } = await client.GET("/things/{id}", byId);
      expectTypeOf(data).toEqualTypeOf<Thing | undefined>();
      expectTypeOf(error).toEqualTypeOf<{ message: string } | undefined>();
      const text = await client.GET("/things", { parseAs: "text", timeoutMs: 5 });
      expectTypeOf(text.data).toEqualTypeOf<string | undefined>();
    };
    void typed;
  });

  it("always hold data in the throwing mode, on every method and on request()", () => {
    const typed = async () => {
      const { data } = await throwing.GET("/things/{id}", byId);
      expectTypeOf(data).toEqualTypeOf<Thing>();
      expectTypeOf((await throwing.GET("/things")).data).toEqualTypeOf<Thing[]>();
      expectTypeOf((await throwing.PUT("/things", { body: { name: "x" } })).data).toEqualTypeOf<Thing>();
      expectTypeOf((await throwing.DELETE("/things")).data).toEqualTypeOf<boolean>();
      expectTypeOf((await throwing.OPTIONS("/things")).data).toEqualTypeOf<string[]>();
      expectTypeOf((await throwing.PATCH("/things", { timeoutMs: 5 })).data).toEqualTypeOf<Thing>();
      expectTypeOf((await throwing.request("get", "/things/{id}", byId)).data).toEqualTypeOf<Thing>();
      expectTypeOf((await throwing.GET("/things", { parseAs: "text" })).data).toEqualTypeOf<string>();
      expectTypeOf(await throwing.POST("/things")).toEqualTypeOf<
        Extract<Awaited<ReturnType<typeof bare.POST<"/things", {}>>>, { data: unknown }>
      >();
    };
    void typed;
  });

  it("are the same through createDealCloud", () => {
    const typed = async () => {
      const dc = createDealCloud({ ...credentials, apis: { things } });
      const dcThrowing = createDealCloud({ ...credentials, apis: { things }, throwOnError: true });
      expectTypeOf(dc.things).toEqualTypeOf<ApiClient<Paths>>();
      expectTypeOf(dcThrowing.things).toEqualTypeOf<ThrowingApiClient<Paths>>();
      expectTypeOf((await dcThrowing.things.GET("/things/{id}", byId)).data).toEqualTypeOf<Thing>();
      // @ts-expect-error: `header` for `headers`
      void dc.things.GET("/things", { header: { "As-User": 6045 } });
      // @ts-expect-error: `header` for `headers`
      void dcThrowing.things.GET("/things", { header: { "As-User": 6045 } });
    };
    void typed;
  });
});
