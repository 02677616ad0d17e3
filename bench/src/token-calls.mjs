// 5. Token-endpoint calls counted at the in-process mock (the clients' fetch is wired to mock.handle).
import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";
import { backups } from "@dealcloud-ts/backups";
import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { publications } from "@dealcloud-ts/publications";
import { riImport } from "@dealcloud-ts/ri-import";
import { schema } from "@dealcloud-ts/schema";
import { userManagement } from "@dealcloud-ts/user-management";
import { table } from "./report.mjs";

const SITE = "https://mock.dealcloud.test";
const HOUR_MS = 3_600_000;
const STEP_MS = 30_000;

/** One representative request per API client. */
const call = {
  data: (c) => c.GET("/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "company" } } }),
  schema: (c) => c.GET("/entrytypes"),
  userManagement: (c) => c.GET("/user"),
  publications: (c) => c.POST("/poll", { body: {} }),
  riImport: (c) => c.GET("/settings"),
  backups: (c) => c.POST("/request", { body: { apiNames: ["company"] } }),
};

const wire = (mock) => (input, init) => mock.handle(new Request(input, init));
const total = (mock) => mock.tokenRequests.length;

async function burst(clients, count) {
  const names = Object.keys(clients);
  await Promise.all(
    Array.from({ length: count }, (_, i) => call[names[i % names.length]](clients[names[i % names.length]])),
  );
}

async function ours() {
  const mock = createMockDealCloud();
  const three = createDealCloud({
    baseUrl: SITE,
    ...DEFAULT_MOCK_CLIENT,
    fetch: wire(mock),
    apis: { data, userManagement, riImport },
  });
  await burst(three, 1000);
  const cold = total(mock);
  mock.revokeTokens();
  await burst(three, 200);
  const storm = total(mock) - cold;
  return { cold, storm, union: await hour("union"), perApi: await hour("per-api") };
}

/** Six combined clients over a simulated hour: one request through each client every STEP_MS of a fake clock. */
async function hour(scopeStrategy) {
  let clock = Date.UTC(2025, 0, 1);
  const now = () => clock;
  const mock = createMockDealCloud({ now });
  // Schema's 5-per-second pacing runs on the real clock; it is dropped here since only token calls are counted.
  const apis = { data, schema: { ...schema, rateLimit: undefined }, userManagement, publications, riImport, backups };
  const six = createDealCloud({ baseUrl: SITE, ...DEFAULT_MOCK_CLIENT, fetch: wire(mock), now, apis, scopeStrategy });
  for (const start = clock; clock - start < HOUR_MS; clock += STEP_MS) {
    for (const [name, client] of Object.entries(six)) await call[name](client);
  }
  await new Promise((resolve) => setTimeout(resolve, 10)); // let a last background refresh land
  return { total: total(mock), byScope: mock.tokenCallsByScope() };
}

async function badgateway() {
  const mock = createMockDealCloud();
  const client = new OAuth2Client({
    server: SITE,
    tokenEndpoint: "/api/rest/v1/oauth/token",
    ...DEFAULT_MOCK_CLIENT,
    authenticationMethod: "client_secret_post",
    fetch: wire(mock),
  });
  const oauthFetch = new OAuth2Fetch({
    client,
    getNewToken: () => client.clientCredentials({ scope: ["data"] }),
    scheduleRefresh: false,
  });
  const url = `${SITE}/api/rest/v4/data/entrydata/company/entries`;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (request) => mock.handle(request); // OAuth2Fetch sends through the global fetch
  try {
    await Promise.all(Array.from({ length: 1000 }, () => oauthFetch.fetch(url)));
    const cold = total(mock);
    mock.revokeTokens();
    await Promise.all(Array.from({ length: 200 }, () => oauthFetch.fetch(url)));
    return { cold, storm: total(mock) - cold };
  } finally {
    globalThis.fetch = realFetch;
  }
}

export async function benchTokenCalls() {
  const o = await ours();
  const b = await badgateway();
  const scopes = (byScope) =>
    Object.entries(byScope)
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ");
  table(
    "Token-endpoint calls counted at the mock",
    [
      {
        scenario: "1,000 concurrent cold requests across 3 combined clients",
        expected: "1",
        ours: o.cold,
        "@badgateway/oauth2-client (OAuth2Fetch, one client)": b.cold,
      },
      {
        scenario: "200-request 401 storm after `revokeTokens()`",
        expected: "1",
        ours: o.storm,
        "@badgateway/oauth2-client (OAuth2Fetch, one client)": b.storm,
      },
      {
        scenario: "six combined clients, 60 simulated minutes, union scopes",
        expected: "4–5",
        ours: `${o.union.total} (${scopes(o.union.byScope)})`,
        "@badgateway/oauth2-client (OAuth2Fetch, one client)": "n/a (no clock to inject)",
      },
      {
        scenario: "six combined clients, 60 simulated minutes, per-api scopes",
        expected: "4–5 per distinct scope set (5 sets)",
        ours: `${o.perApi.total} (${scopes(o.perApi.byScope)})`,
        "@badgateway/oauth2-client (OAuth2Fetch, one client)": "n/a (one scope set per instance)",
      },
    ],
    [
      "`createMockDealCloud` in process, with each client's fetch wired to `mock.handle`; counts from `mock.tokenRequests`. The simulated hour injects one fake clock into the mock and the token manager and makes one request through each client every 30 s. The 3 combined clients are Data, User Management and RI Import (Schema's 5-per-second pacing would make a 1,000-request burst take minutes).",
    ],
  );
  return { ours: o, badgateway: { cold: b.cold, storm: b.storm, hour: "n/a", perApi: "n/a" } };
}
