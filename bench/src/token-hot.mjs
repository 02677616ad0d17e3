// 4. Token hot path: getToken("data") answered from the cache.
import { createTokenManager } from "@dealcloud-ts/auth";
import { stubTokenEndpoint } from "./per-request.mjs";
import { fmt, median, rounds, table } from "./report.mjs";

const N = 100_000;
const ROUNDS = 7;

export async function benchTokenHotPath() {
  const tokens = createTokenManager({
    baseUrl: "https://bench.dealcloud.test",
    clientId: "106",
    clientSecret: "bench",
    fetch: stubTokenEndpoint,
  });
  await tokens.getToken("data");
  const times = await rounds(async () => {
    for (let i = 0; i < N; i++) await tokens.getToken("data");
  }, ROUNDS);
  const nsPerCall = (median(times) * 1e6) / N;
  table(
    "Token hot path",
    [
      {
        call: 'getToken("data"), cached token, awaited',
        "ns / call": fmt(nsPerCall, 0),
        "calls / s": fmt(1e9 / nsPerCall),
      },
    ],
    [`Median of ${ROUNDS} rounds of ${fmt(N)} sequential awaited calls.`],
  );
  return { n: N, rounds: ROUNDS, nsPerCall };
}
