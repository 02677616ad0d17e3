// The mock serves exactly the operations the OpenAPI documents declare: none missing, none extra.
import { describe, expect, it } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { loadSpecs, specOperations } from "./support/openapi.js";
import { assertMatchesSpec } from "./support/validate.js";

/** `"METHOD /base/path/template"`, with the base path lower-cased as routing ignores its case. */
const key = (basePath: string, operation: string) => {
  const space = operation.indexOf(" ");
  return `${operation.slice(0, space).toUpperCase()} ${basePath.toLowerCase()}${operation.slice(space + 1)}`;
};

describe("spec coverage", () => {
  const served = createMockDealCloud().operations.map((entry) => key(entry.basePath, entry.operation));
  const declared = specOperations().map((entry) => key(entry.basePath, entry.operation));

  it("serves every operation at most once", () => {
    const duplicates = served.filter((name, index) => served.indexOf(name) !== index);
    expect(duplicates, "operations the mock lists twice").toEqual([]);
  });

  it("serves every operation the documents declare, and no other", () => {
    const servedSet = new Set(served);
    const declaredSet = new Set(declared);
    const missing = declared.filter((name) => !servedSet.has(name)).sort();
    const extra = served.filter((name) => !declaredSet.has(name)).sort();
    expect({ missing, extra }, "missing: declared but not served; extra: served but not declared").toEqual({
      missing: [],
      extra: [],
    });
  });

  it("routes every declared operation, under every base path, to its area (401 without a token, not 404/405)", async () => {
    const mock = createMockDealCloud();
    const unrouted: string[] = [];
    for (const loadedSpec of loadSpecs()) {
      for (const { operation } of specOperations().filter((entry) => entry.package === loadedSpec.package)) {
        const [method, template] = operation.split(" ") as [string, string];
        for (const basePath of loadedSpec.basePaths) {
          // Every path parameter is an id or apiName in these documents: a number fits all of them.
          const request = () =>
            new Request(`https://mock.dealcloud.test${basePath}${template.replaceAll(/\{[^}]+\}/g, "1")}`, { method });
          const response = await mock.handle(request());
          if (response.status !== 401) unrouted.push(`${method} ${basePath}${template} answered ${response.status}`);
          else await assertMatchesSpec(request(), response);
        }
      }
    }
    expect(unrouted).toEqual([]);
  });
});
