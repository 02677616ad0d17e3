// The demo: a real HTTP round trip to the embedded mock DealCloud on loopback, through the token manager.
// It shows the two things a token manager is for: callers never wait for tokens they already have, and
// however many ask at once, DealCloud's rate-limited token endpoint sees one request per scope set.
import { createTokenManager, type Scope } from "@dealcloud-ts/auth";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";

const CALLERS = 100;
const SCOPE_SETS: readonly (readonly Scope[])[] = [["data"], ["user_management", "publish"]];

const site = await serveMockDealCloud({ port: 0 });
try {
  console.log(`Mock DealCloud listening on ${site.url}`);
  const tokens = createTokenManager({
    baseUrl: site.url,
    clientId: DEFAULT_MOCK_CLIENT.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT.clientSecret,
  });

  let ok = true;
  for (const scopes of SCOPE_SETS) {
    const results = await Promise.all(Array.from({ length: CALLERS }, () => tokens.getToken(scopes)));
    const distinct = new Set(results.map((token) => token.value)).size;
    const asked = results[0]!.scopes.join(" ");
    const requests = site.mock.tokenCallsByScope()[asked] ?? 0;
    const minutesLeft = ((results[0]!.expiresAt - Date.now()) / 60_000).toFixed(1);
    console.log(
      `scope "${asked}": ${CALLERS} concurrent callers -> ${requests} token request(s) at DealCloud, ` +
        `${distinct} distinct token, valid ${minutesLeft} min; the token prints as ${JSON.stringify(results[0])}`,
    );
    ok &&= requests === 1 && distinct === 1;
  }

  const again = await tokens.getToken(["publish", "user_management"]);
  console.log(`asking again (scopes in another order) is a cache hit: ${site.mock.tokenRequests.length} token requests in all`);
  console.log("manager stats:", tokens.stats());
  void again;

  if (!ok) {
    console.error("FAILED: expected exactly one token request per scope set");
    process.exitCode = 1;
  } else {
    console.log("OK: one token request per scope set, however many callers asked.");
  }
} finally {
  await site.close();
}
