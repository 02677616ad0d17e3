import { createDataClient } from "@dealcloud-ts/data";
const BODY = JSON.stringify([{ id: 1, name: "Intapp" }]);
const stub = async (input, init) => { new Request(input, init); return new Response(BODY, { status: 200, headers: { "content-type": "application/json" } }); };
const token = async (input, init) => new Response(JSON.stringify({ access_token: "t", token_type: "bearer", expires_in: 900 }), { status: 200, headers: { "content-type": "application/json" } });
const client = createDataClient({ baseUrl: "https://bench.dealcloud.test", clientId: 1, clientSecret: "s", fetch: (i, init) => (String(i.url ?? i).includes("oauth") ? token(i, init) : stub(i, init)) });
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let i = 0; i < 2000; i++) await client.GET("/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "company" } } });
  console.log(((performance.now() - t) / 2000 * 1000).toFixed(1), "us");
}
