// The conformance suite: what every runtime must do the same, run against the built packages and a mock
// DealCloud on loopback (with its `/__mock/` control API). Plain ESM and web APIs only.
import { createTokenManager, DealCloudAuthError } from "@dealcloud-ts/auth";
import { AbortedError, createDealCloud, PermissionDeniedError } from "@dealcloud-ts/client";
import { createBackupsClient } from "@dealcloud-ts/backups";
import { createDataClient, data } from "@dealcloud-ts/data";
import { createPublicationsClient, publications } from "@dealcloud-ts/publications";
import { createRiImportClient } from "@dealcloud-ts/ri-import";
import { createSchemaClient } from "@dealcloud-ts/schema";
import { createUserManagementClient, userManagement } from "@dealcloud-ts/user-management";
import { assert, assertEqual, createSuite, rejection } from "./harness.js";

/** The mock's default credentials: the DealCloud token docs' public sample pair. */
export const MOCK_CLIENT = { clientId: "106", clientSecret: "1356GYNU" };

/**
 * @typedef {object} SuiteOptions
 * @property {string} baseUrl The mock site's address, e.g. `http://127.0.0.1:54321`.
 * @property {import("@dealcloud-ts/auth").TokenProvider} [tokenProvider] Get tokens from a backend instead of
 *   holding the secret (the browser pattern); the tests that need the secret itself are skipped.
 * @property {(line: string) => void} [log]
 */

/** Builds the suite for one site. @param {SuiteOptions} options */
export function conformanceSuite(options) {
  const { baseUrl, tokenProvider } = options;
  const { test, run } = createSuite();
  const credentials = tokenProvider ? { baseUrl, tokenProvider } : { baseUrl, ...MOCK_CLIENT };

  const control = async (action, body) => {
    const response = await fetch(
      `${baseUrl}/__mock/${action}`,
      body === undefined ? {} : { method: "POST", body: JSON.stringify(body) },
    );
    if (!response.ok) throw new Error(`mock control ${action} answered ${response.status}`);
    return response.json();
  };
  const reset = () => control("reset", {});
  const tokenRequests = async () => (await control("token-requests")).filter((record) => record.status === 200);
  const scopesAsked = async () => (await tokenRequests()).map((record) => record.scope);
  const waitFor = async (condition, what) => {
    for (let i = 0; i < 1000; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const companies = { params: { path: { entryTypeId: "company" } } };
  const fresh = (test_) => async () => {
    await reset();
    await test_();
  };

  test(
    "a token is fetched once, then served from the cache",
    fresh(async () => {
      const tokens = createTokenManager(credentials);
      const first = await tokens.getToken("data");
      const second = await tokens.getToken(["data"]);
      assert(first.value === second.value, "the second call should reuse the token");
      assertEqual(await scopesAsked(), ["data"], "token requests");
    }),
  );

  test(
    "50 concurrent callers share one token request (single flight)",
    fresh(async () => {
      const tokens = createTokenManager(credentials);
      const all = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken(["user_management", "publish"])));
      assert(new Set(all.map((token) => token.value)).size === 1, "one token for all callers");
      assertEqual(await scopesAsked(), ["publish user_management"], "token requests");
    }),
  );

  test(
    "near expiry (injected clock) a caller gets the cached token and one background refresh starts; past the hard margin it waits for a new one",
    fresh(async () => {
      let now = Date.now();
      const tokens = createTokenManager({ ...credentials, now: () => now });
      const first = await tokens.getToken("data");
      now = first.expiresAt - 60_000; // inside the 2-minute soft window
      const soft = await tokens.getToken("data");
      assert(soft.value === first.value, "the soft window answers the cached token");
      // The cache holds the refreshed token once the background refresh has landed in the manager (the mock's
      // record of the request comes earlier, so counting records would race).
      let refreshed = soft;
      await waitFor(
        async () => (refreshed = await tokens.getToken("data")).value !== first.value,
        "the background refresh",
      );
      assertEqual((await tokenRequests()).length, 2, "token requests after the background refresh");
      now = refreshed.expiresAt - 10_000; // inside the refreshed token's 30 s hard margin
      const hard = await tokens.getToken("data");
      assert(hard.value !== refreshed.value, "past the hard margin the caller gets a new token");
      assertEqual((await tokenRequests()).length, 3, "token requests");
    }),
  );

  test(
    "a token the site revoked is dropped and the request replayed once, successfully",
    fresh(async () => {
      const client = createDataClient(credentials);
      assert((await client.GET("/entrydata/{entryTypeId}/entries", companies)).response.ok, "first call");
      await control("revoke-tokens", {});
      const again = await client.GET("/entrydata/{entryTypeId}/entries", companies);
      assertEqual(again.response.status, 200, "status after the replay");
      assertEqual((await tokenRequests()).length, 2, "token requests");
    }),
  );

  test(
    "a 403 becomes a typed PermissionDeniedError carrying the hint and the scopes asked",
    fresh(async () => {
      await control("faults", { route: "data", status: 403 });
      const client = createDataClient({ ...credentials, throwOnError: true });
      const error = await rejection(() => client.GET("/entrydata/{entryTypeId}/entries", companies));
      assert(error instanceof PermissionDeniedError, `expected PermissionDeniedError, got ${error?.name}`);
      assertEqual(error.code, "PERMISSION_DENIED", "code");
      assertEqual(error.status, 403, "status");
      assert(/scope/i.test(error.message), "the message names the likely cause");
    }),
  );

  test(
    "a 429 with Retry-After is waited out and the read succeeds",
    fresh(async () => {
      await control("faults", { route: "data", status: 429, retryAfter: "0", times: 2 });
      const client = createDataClient({ ...credentials, retry: { baseDelayMs: 1 } });
      const answer = await client.GET("/entrydata/{entryTypeId}/entries", companies);
      assertEqual(answer.response.status, 200, "status");
    }),
  );

  test(
    "aborting a request rejects it with AbortedError and leaves other requests alone",
    fresh(async () => {
      await control("faults", { route: "data", operation: "GET /entrydata/rows/{entryTypeId}", delayMs: 3000 });
      const client = createDataClient(credentials);
      await client.GET("/entrydata/{entryTypeId}/entries", companies); // warm the token
      const controller = new AbortController();
      const slow = client.GET("/entrydata/rows/{entryTypeId}", { ...companies, signal: controller.signal });
      const other = client.GET("/entrydata/{entryTypeId}/entries", companies);
      setTimeout(() => controller.abort(), 20);
      const error = await rejection(() => slow);
      assert(error instanceof AbortedError, `expected AbortedError, got ${error?.name}: ${error?.message}`);
      assertEqual(error.code, "ABORTED", "code");
      assertEqual((await other).response.status, 200, "the other request");
    }),
  );

  if (!tokenProvider) {
    test(
      "the secret never appears in errors, JSON, String() or the token",
      fresh(async () => {
        const secret = "wrong-secret-1234567890";
        const tokens = createTokenManager({ baseUrl, clientId: MOCK_CLIENT.clientId, clientSecret: secret });
        const error = await rejection(() => tokens.getToken("data"));
        assert(error instanceof DealCloudAuthError, `expected DealCloudAuthError, got ${error?.name}`);
        assertEqual(error.code, "INVALID_CLIENT", "code");
        for (const text of [
          error.message,
          String(error.stack),
          JSON.stringify(error),
          String(error),
          JSON.stringify(tokens),
          String(tokens),
        ]) {
          assert(!text.includes(secret), "the secret leaked");
        }
        const good = await createTokenManager(credentials).getToken("data");
        for (const text of [JSON.stringify(good), String(good)])
          assert(!text.includes(good.value), "the token value leaked");
      }),
    );
  }

  test(
    "combined clients ask one token for exactly the union of their scopes",
    fresh(async () => {
      const dc = createDealCloud({ ...credentials, apis: { data, publications, userManagement } });
      const [rows, users, poll] = await Promise.all([
        dc.data.GET("/entrydata/rows/{entryTypeId}", {
          ...companies,
          params: { ...companies.params, query: { limit: 1 } },
        }),
        dc.userManagement.GET("/user"),
        dc.publications.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 10, Count: 1 } }),
      ]);
      assertEqual([rows.response.status, users.response.status, poll.response.status], [200, 200, 200], "statuses");
      assertEqual(await scopesAsked(), ["data publish user_management"], "token requests");
    }),
  );

  test(
    "each generated package sends a typed request to its API",
    fresh(async () => {
      const statuses = {
        data: (
          await createDataClient(credentials).POST("/entrydata/rows/query/{entryTypeId}", {
            ...companies,
            body: { query: '{"CompanyName": "Intapp"}', limit: 1 },
          })
        ).response.status,
        schema: (await createSchemaClient(credentials).GET("/entrytypes/{entryTypeId}", companies)).response.status,
        userManagement: (
          await createUserManagementClient(credentials).GET("/user/{userId}", { params: { path: { userId: 106 } } })
        ).response.status,
        publications: (
          await createPublicationsClient(credentials).POST("/acknowledge", {
            body: [{ Name: "default-data", Offset: 0 }],
          })
        ).response.status,
        riImport: (await createRiImportClient(credentials).GET("/status")).response.status,
        backups: (await createBackupsClient(credentials).POST("/request", { body: { apiNames: ["company"] } })).response
          .status,
      };
      assertEqual(
        statuses,
        { data: 200, schema: 200, userManagement: 200, publications: 204, riImport: 200, backups: 204 },
        "statuses",
      );
      assertEqual(
        (await scopesAsked()).sort(),
        ["backup", "data", "data", "publish", "ri_import", "user_management"],
        "one token per package",
      );
    }),
  );

  return { run: (runOptions = {}) => run({ log: options.log, ...runOptions }) };
}
