import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";

// The code under test: finds a company by name, creating it when it is missing.
type Client = ReturnType<typeof connect>;
const connect = (baseUrl: string) =>
  createDealCloud({ baseUrl, ...DEFAULT_MOCK_CLIENT, apis: { data }, retry: { baseDelayMs: 10 } });

async function ensureCompany(dc: Client, name: string): Promise<number> {
  const read = await dc.data.GET("/entrydata/rows/{entryTypeId}", {
    params: {
      path: { entryTypeId: "company" },
      query: { query: JSON.stringify({ CompanyName: name }), fields: ["CompanyName"] },
    },
  });
  if (read.error) throw new Error(read.error.message);
  const [found] = read.data.rows;
  if (found) return found.EntryId;
  const write = await dc.data.POST("/entrydata/rows/{entryTypeId}", {
    params: { path: { entryTypeId: "company" } },
    body: [{ EntryId: -1, CompanyName: name }],
  });
  if (write.error) throw new Error(write.error.message);
  return write.data[0]!.EntryId;
}

// One mock site behind msw: the code under test keeps its real fetch.
const baseUrl = "https://mock.dealcloud.test";
const mock = createMockDealCloud();
const server = setupServer(...mswHandlers(mock, { baseUrl }));
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.reset()); // back to the seeded site: sample companies, no writes, no tokens, no faults
afterAll(() => server.close());

it("creates a missing company once, then finds it", async () => {
  const dc = connect(baseUrl);
  const id = await ensureCompany(dc, "Acme Holdings");
  expect(await ensureCompany(dc, "Acme Holdings")).toBe(id);
  expect(
    mock.rows("company").filter((row) => (row["CompanyName"] as { name: string }).name === "Acme Holdings"),
  ).toHaveLength(1);
  expect(mock.tokenCallsByScope()).toEqual({ data: 1 });
});

it("finds the companies the site was seeded with", async () => {
  expect(await ensureCompany(connect(baseUrl), "Intapp")).toBe(mock.rows("company")[0]!["EntryId"]);
});

it("survives a brief outage of the rows read", async () => {
  mock.faults.add({ route: "data", operation: "GET /entrydata/rows/{entryTypeId}", status: 503, times: 2 });
  await expect(ensureCompany(connect(baseUrl), "Intapp")).resolves.toBeGreaterThan(0);
});

it("answers what DealCloud answers to a bad write", async () => {
  const { error, response } = await connect(baseUrl).data.POST("/entrydata/rows/{entryTypeId}", {
    params: { path: { entryTypeId: "company" } },
    body: [{ EntryId: -1, CompanyName: "Typo Inc", CompanyTyp: 3197780 }],
  });
  expect(response.status).toBe(400);
  expect(error).toEqual({ message: 'Field with name "CompanyTyp" does not exist' });
  expect(mock.rows("company")).toHaveLength(3); // nothing of the batch was written
});
