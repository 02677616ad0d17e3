import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

describe("docs/testing-with-the-mock.md", () => {
  it("shows the example test exactly as CI runs it", () => {
    const page = readFileSync(join(root, "docs/testing-with-the-mock.md"), "utf8");
    const marker = "<!-- example: apps/demo/test/testing-with-the-mock.test.ts -->\n```ts\n";
    const start = page.indexOf(marker);
    expect(start).toBeGreaterThan(-1);
    const shown = page.slice(start + marker.length, page.indexOf("\n```", start + marker.length) + 1);
    expect(shown).toBe(readFileSync(join(root, "apps/demo/test/testing-with-the-mock.test.ts"), "utf8"));
  });

  it("lists the objects and field ids the mock site really has", async () => {
    const page = readFileSync(join(root, "docs/testing-with-the-mock.md"), "utf8");
    const documented = [...page.matchAll(/^\| `(\w+)` \| (\d+) \| (.+) \|$/gm)].map(([, apiName, id, fields]) => ({
      apiName,
      id: Number(id),
      fields: [...fields!.matchAll(/(\w+) (\d+) \(/g)].map(([, name, fieldId]) => `${name} ${fieldId}`),
    }));
    const mock = createMockDealCloud();
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: DEFAULT_MOCK_CLIENT.clientId,
      client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
      scope: "data",
    });
    const token = (await (
      await mock.handle(new Request("https://mock.test/api/rest/v1/oauth/token", { method: "POST", body: form }))
    ).json()) as { access_token: string };
    const get = async (path: string) =>
      (
        await mock.handle(
          new Request(`https://mock.test/api/rest/v4/schema${path}`, {
            headers: { authorization: `Bearer ${token.access_token}` },
          }),
        )
      ).json() as Promise<any[]>;
    const actual = [];
    for (const type of await get("/entrytypes")) {
      const fields = await get(`/entrytypes/${type.id}/fields`);
      actual.push({
        apiName: type.apiName,
        id: type.id,
        fields: fields.map((field) => `${field.apiName} ${field.id}`),
      });
    }
    expect(documented).toEqual(actual);
  });
});
