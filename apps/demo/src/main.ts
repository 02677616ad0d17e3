// The demo: the SDK against the embedded mock DealCloud over real HTTP on loopback. One combined client for
// three APIs asks for one token with exactly the union of their scopes; the Schema client lists the objects,
// the Data client writes three companies and reads them back with a filter.
import { createTokenManager } from "@dealcloud-ts/auth";
import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { schema } from "@dealcloud-ts/schema";
import { userManagement } from "@dealcloud-ts/user-management";

const site = await serveMockDealCloud({ port: 0 });
const failures: string[] = [];
const check = (ok: boolean, what: string) => ok || failures.push(what);
try {
  console.log(`Mock DealCloud listening on ${site.url}\n`);
  const credentials = {
    baseUrl: site.url,
    clientId: DEFAULT_MOCK_CLIENT.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT.clientSecret,
  };

  // 1. One client for three APIs: the token asks for "data user_management", nothing more.
  const dc = createDealCloud({ ...credentials, apis: { data, schema, userManagement } });

  // Answers are openapi-fetch's `{ data, error, response }`: exactly one of data and error is set.
  const { data: entryTypes, error: schemaError } = await dc.schema.GET("/entrytypes");
  if (schemaError) throw new Error(`Schema read failed: ${schemaError.message}`);
  console.log(
    `Schema: ${entryTypes.length} objects: ${entryTypes.map((type) => `${type.apiName} (${type.id})`).join(", ")}`,
  );

  const tag = "Demo";
  const { data: written, error: writeError } = await dc.data.POST("/entrydata/rows/{entryTypeId}", {
    params: { path: { entryTypeId: "company" } },
    body: ["Alpha", "Beta", "Gamma"].map((name, n) => ({
      EntryId: -(n + 1),
      CompanyName: `${tag} ${name}`,
      City: "Boston",
    })),
  });
  if (writeError) throw new Error(`Rows write failed: ${writeError.message}`);
  console.log(`Data: wrote 3 companies, DealCloud gave them ids ${written.map((row) => row.EntryId).join(", ")}`);

  const { data: page, error: readError } = await dc.data.GET("/entrydata/rows/{entryTypeId}", {
    params: {
      path: { entryTypeId: "company" },
      query: { query: JSON.stringify({ CompanyName: { $startswith: tag } }), fields: ["CompanyName", "City"] },
    },
  });
  if (readError) throw new Error(`Rows read failed: ${readError.message}`);
  const names = page.rows.map((row) => (row["CompanyName"] as { name: string }).name);
  console.log(`Data: filter {CompanyName: {$startswith: "${tag}"}} found ${page.totalRecords}: ${names.join(", ")}`);
  check(page.totalRecords === 3, "the filter should find the three companies");

  const { data: users, error: usersError } = await dc.userManagement.GET("/user", {
    params: { query: { pageSize: 5 } },
  });
  if (usersError) throw new Error(`Users read failed: ${usersError.message}`);
  console.log(`User Management: first ${users.length} users: ${users.map((user) => user.email).join(", ")}`);

  // 2. However many callers ask at once, the rate-limited token endpoint sees one request per scope set.
  const tokens = createTokenManager(credentials);
  const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken(["publish"])));
  check(new Set(results.map((token) => token.value)).size === 1, "100 concurrent callers should share one token");
  console.log(
    `Token manager: 100 concurrent callers for scope "publish" shared one token; it prints as ${JSON.stringify(results[0])}`,
  );

  console.log("\nToken requests DealCloud saw (scope -> count):");
  for (const [scope, count] of Object.entries(site.mock.tokenCallsByScope())) console.log(`  "${scope}": ${count}`);
  check(
    JSON.stringify(site.mock.tokenCallsByScope()) === JSON.stringify({ "data user_management": 1, publish: 1 }),
    "one token request per scope set",
  );
} finally {
  await site.close();
}
if (failures.length > 0) {
  console.error(`\nFAILED: ${failures.join("; ")}`);
  process.exitCode = 1;
} else {
  console.log("\nOK: every client asked only for the scopes it needs, once.");
}
