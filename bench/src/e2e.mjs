// 3. End to end against the loopback mock server: raw fetch (token fetched once) vs our Data client.
import { createDataClient } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { fmt, median, ratio, table } from "./report.mjs";

const ROUND_MS = 600;
const ROUNDS = 3;

/** Requests per second of `one` with `concurrency` workers, for ROUND_MS. */
async function throughput(one, concurrency) {
  let count = 0;
  const end = performance.now() + ROUND_MS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await one();
        count++;
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

export async function benchEndToEnd() {
  const server = await serveMockDealCloud({ port: 0 });
  try {
    const tokenResponse = await fetch(`${server.url}/api/rest/v1/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: DEFAULT_MOCK_CLIENT.clientId,
        client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
        scope: "data",
      }),
    });
    const { access_token } = await tokenResponse.json();
    const url = `${server.url}/api/rest/v4/data/entrydata/company/entries`;
    const raw = async () => {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${access_token}` } });
      if (!response.ok) throw new Error(`raw fetch: ${response.status}`);
      await response.json();
    };
    const client = createDataClient({ baseUrl: server.url, ...DEFAULT_MOCK_CLIENT });
    const ours = async () => {
      const { data, response } = await client.GET("/entrydata/{entryTypeId}/entries", {
        params: { path: { entryTypeId: "company" } },
      });
      if (!data) throw new Error(`ours: ${response.status}`);
    };
    const rows = [];
    const results = {};
    for (const concurrency of [1, 16]) {
      const rates = { raw: [], ours: [] };
      await throughput(raw, concurrency); // warm-up
      await throughput(ours, concurrency);
      for (let i = 0; i < ROUNDS; i++) {
        rates.raw.push(await throughput(raw, concurrency));
        rates.ours.push(await throughput(ours, concurrency));
      }
      const r = median(rates.raw);
      const o = median(rates.ours);
      results[concurrency === 1 ? "sequential" : "concurrency16"] = { rawPerSecond: r, oursPerSecond: o };
      rows.push({
        mode: concurrency === 1 ? "sequential" : "concurrency 16",
        "raw fetch (req/s)": fmt(r),
        "ours (req/s)": fmt(o),
        "ours / raw": ratio(o, r),
      });
    }
    table("End to end against the loopback mock", rows, [
      `\`serveMockDealCloud({ port: 0 })\` in the same process; GET \`/entrydata/company/entries\` (Data API). Raw fetch uses a token fetched once; ours is \`createDataClient\` with the mock's default credentials. Median of ${ROUNDS} rounds of ${ROUND_MS} ms each, raw and ours alternating.`,
    ]);
    return { roundMs: ROUND_MS, rounds: ROUNDS, ...results };
  } finally {
    await server.close();
  }
}
