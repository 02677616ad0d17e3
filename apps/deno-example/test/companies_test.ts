// The mock's main entry is web-standard, so Deno serves it itself: no Node process, no msw.
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { connect, findCompanies } from "../src/companies.ts";

function assertEquals(actual: unknown, expected: unknown) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`expected ${e}, got ${a}`);
}

async function withSite(test: (baseUrl: string, mock: ReturnType<typeof createMockDealCloud>) => Promise<void>) {
  const mock = createMockDealCloud();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => mock.handle(request));
  try {
    await test(`http://127.0.0.1:${server.addr.port}`, mock);
  } finally {
    await server.shutdown();
  }
}

Deno.test("finds companies by part of their name", () =>
  withSite(async (baseUrl) => {
    const dc = connect({ baseUrl, ...DEFAULT_MOCK_CLIENT });
    assertEquals(await findCompanies(dc, "health"), [{ id: 5000003, name: "Contoso Health", city: "Boston" }]);
  }));

Deno.test("asks for one token with the data scope, and reuses it", () =>
  withSite(async (baseUrl, mock) => {
    const dc = connect({ baseUrl, ...DEFAULT_MOCK_CLIENT });
    await findCompanies(dc, "a");
    await findCompanies(dc, "b");
    assertEquals(mock.tokenCallsByScope(), { data: 1 });
  }));

Deno.test("a wrong secret fails with a typed error that does not contain it", () =>
  withSite(async (baseUrl) => {
    const dc = connect({ baseUrl, clientId: DEFAULT_MOCK_CLIENT.clientId, clientSecret: "not-the-secret-42" });
    const error = await findCompanies(dc, "x").then(
      () => undefined,
      (caught: unknown) => caught as Error & { code?: string },
    );
    assertEquals(error?.code, "INVALID_CLIENT");
    if (JSON.stringify(error).includes("not-the-secret-42") || String(error?.stack).includes("not-the-secret-42"))
      throw new Error("the secret leaked");
  }));
