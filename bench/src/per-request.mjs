// 2. Per-request client cost: every contender talks to the same stubbed in-process fetch, which builds
// `new Request(input, init)` like real fetch does and answers a small JSON body; each caller reads the JSON.
import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";
import { createTokenManager } from "@dealcloud-ts/auth";
import { createDataClient } from "@dealcloud-ts/data";
import createClient from "openapi-fetch";
import { fmt, median, ratio, table } from "./report.mjs";

const SITE = "https://bench.dealcloud.test";
const BASE = `${SITE}/api/rest/v4/data`;
const URL_ENTRIES = `${BASE}/entrydata/company/entries`;
const BODY = JSON.stringify([
  { id: 1, name: "Intapp" },
  { id: 2, name: "Northwind Capital" },
]);
const N = 1000;
const ROUNDS = 21;

/** The API stub: constructs the Request as real fetch would, answers 200 JSON. */
export const stubFetch = async (input, init) => {
  new Request(input, init);
  return new Response(BODY, { status: 200, headers: { "content-type": "application/json" } });
};

/** A token endpoint stub answering DealCloud's token shape. */
export const stubTokenEndpoint = async (input, init) => {
  new Request(input, init);
  return new Response(JSON.stringify({ access_token: "bench-token", token_type: "bearer", expires_in: 900 }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
};

/** Our client with a warm token: a real token manager over the stub token endpoint, warmed once. */
export async function warmOurs() {
  const tokens = createTokenManager({
    baseUrl: SITE,
    clientId: "106",
    clientSecret: "bench",
    fetch: stubTokenEndpoint,
  });
  await tokens.getToken("data");
  const client = createDataClient({ tokens, fetch: stubFetch });
  return async () => {
    const { data } = await client.GET("/entrydata/{entryTypeId}/entries", {
      params: { path: { entryTypeId: "company" } },
    });
    if (!data) throw new Error("ours: no data");
  };
}

async function contenders() {
  const bare = createClient({ baseUrl: BASE, fetch: (request) => stubFetch(request) });
  const oauthClient = new OAuth2Client({
    server: SITE,
    tokenEndpoint: "/api/rest/v1/oauth/token",
    clientId: "106",
    clientSecret: "bench",
    authenticationMethod: "client_secret_post",
    fetch: stubTokenEndpoint,
  });
  const oauthFetch = new OAuth2Fetch({
    client: oauthClient,
    getNewToken: () => oauthClient.clientCredentials({ scope: ["data"] }),
    scheduleRefresh: false,
  });
  await oauthFetch.getToken();
  return [
    [
      "raw fetch (Request + Authorization header)",
      async () => {
        const response = await stubFetch(
          new Request(URL_ENTRIES, { headers: { Authorization: "Bearer bench-token" } }),
        );
        await response.json();
      },
    ],
    [
      "openapi-fetch GET (no auth)",
      async () => {
        const { data } = await bare.GET("/entrydata/{entryTypeId}/entries", {
          params: { path: { entryTypeId: "company" } },
        });
        if (!data) throw new Error("openapi-fetch: no data");
      },
    ],
    ["ours: createDataClient GET, warm token", await warmOurs()],
    // OAuth2Fetch calls the global fetch, so the stub stands in for it during this contender's rounds.
    [
      "@badgateway/oauth2-client OAuth2Fetch, warm token",
      async () => {
        const response = await oauthFetch.fetch(URL_ENTRIES);
        await response.json();
      },
    ],
  ];
}

export async function benchPerRequest() {
  const results = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = stubFetch;
  try {
    // Contenders take turns within each round, so drift in the machine's state (JIT, GC, a neighbour's load)
    // reaches them all alike instead of whichever ran last.
    const all = await contenders();
    const batch = (one) => async () => {
      for (let i = 0; i < N; i++) await one();
    };
    const times = all.map(() => []);
    for (const [, one] of all) await batch(one)(); // warm-up round
    for (let round = 0; round < ROUNDS; round++) {
      for (const [n, [, one]] of all.entries()) {
        const start = performance.now();
        await batch(one)();
        times[n].push(performance.now() - start);
      }
    }
    for (const [n, [name]] of all.entries()) {
      results.push({ name, usPerRequest: (median(times[n]) * 1000) / N, usBest: (Math.min(...times[n]) * 1000) / N });
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  const [, bare] = results;
  table(
    "Per-request client cost (stubbed fetch)",
    results.map((r) => ({
      contender: r.name,
      "best µs / request": fmt(r.usBest, 2),
      "best vs openapi-fetch": ratio(r.usBest, bare.usBest),
      "median µs / request": fmt(r.usPerRequest, 2),
      "median vs openapi-fetch": ratio(r.usPerRequest, bare.usPerRequest),
    })),
    [
      `The stub fetch builds \`new Request(input, init)\` like real fetch does, so every contender pays the same construction cost, and answers a small JSON body that each caller parses. ${ROUNDS} rounds of ${fmt(N)} sequential requests after one warm-up round; the contenders take turns within each round. On a shared virtual machine the median moves from run to run; the best round, where noise added least, is the steadier figure.`,
    ],
  );
  return { n: N, rounds: ROUNDS, contenders: results };
}
