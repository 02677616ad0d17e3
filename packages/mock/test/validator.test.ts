// The spec validator of test/support must bite: hand-made exchanges that break the documents are refused, and
// every schema of every document compiles (so no `$ref` dangles).
import { describe, expect, it } from "vitest";
import { findOperation, SPEC_PACKAGES, specOperations } from "./support/openapi.js";
import {
  ajvWarnings,
  assertMatchesSpec,
  checkResponse,
  componentSchemaProblems,
  responseSchemaProblems,
} from "./support/validate.js";

const SITE = "https://mock.dealcloud.test";
const ROWS = `${SITE}/api/rest/v4/data/entrydata/rows/company`;
const JSON_TYPE = "application/json;charset=UTF-8";

function answer(status: number, body: unknown, contentType: string | null = JSON_TYPE): Response {
  const text = body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body);
  const response = new Response(text, { status });
  // A string body gets `text/plain;charset=UTF-8` by default: replace it, or drop it for `null`.
  if (contentType === null) response.headers.delete("content-type");
  else response.headers.set("content-type", contentType);
  return response;
}

const getRows = () => new Request(ROWS, { method: "GET" });
const page = {
  totalRecords: 2,
  rows: [
    { EntryId: 1, CompanyName: "Intapp" },
    { EntryId: 2, Owner: { id: 8278, name: "A B", entryListId: -1 } },
  ],
};

describe("findOperation", () => {
  it("matches templates case-insensitively, one segment per parameter", () => {
    const found = findOperation("get", `${SITE}/API/Rest/V4/Data/EntryData/Rows/company`);
    expect(found?.spec.package).toBe("data");
    expect(found?.name).toBe("GET /entrydata/rows/{entryTypeId}");
    expect(found?.params).toEqual({ entryTypeId: "company" });
    expect(findOperation("GET", `${SITE}/api/rest/v4/data/entrydata/rows/company/extra`)).toBeUndefined();
  });

  it("prefers the template with more literal segments", () => {
    expect(findOperation("POST", `${SITE}/api/rest/v4/data/entrydata/get`)?.name).toBe("POST /entrydata/get");
    expect(findOperation("POST", `${SITE}/api/rest/v4/data/entrydata/company`)?.name).toBe(
      "POST /entrydata/{entryTypeId}",
    );
  });

  it("accepts both RI Import base paths", () => {
    expect(findOperation("GET", `${SITE}/api/rest/v4/ri/import/status`)?.basePath).toBe("/api/rest/v4/ri/import");
    expect(findOperation("GET", `${SITE}/api/rest/v1/ri/import/status`)?.basePath).toBe("/api/rest/v1/ri/import");
  });

  it("lists every declared operation once per document", () => {
    const names = specOperations().map((entry) => `${entry.basePath} ${entry.operation}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("/api/rest/v4/data GET /entrydata/rows/{entryTypeId}");
    expect(names).toContain("/api/rest/v4/backups POST /request");
  });
});

describe("assertMatchesSpec", () => {
  it("passes a correct RowsPage answer", async () => {
    await expect(assertMatchesSpec(getRows(), answer(200, page))).resolves.toBeUndefined();
    await expect(assertMatchesSpec(getRows(), answer(200, page, "application/json"))).resolves.toBeUndefined();
  });

  it("fails a body missing totalRecords", async () => {
    const check = assertMatchesSpec(getRows(), answer(200, { rows: [] }));
    await expect(check).rejects.toThrow(/GET \/entrydata\/rows\/\{entryTypeId\}.*answered 200/);
    await expect(assertMatchesSpec(getRows(), answer(200, { rows: [] }))).rejects.toThrow(
      /must have required property 'totalRecords'/,
    );
  });

  it("fails a value of the wrong type, also inside a nested $ref", async () => {
    await expect(assertMatchesSpec(getRows(), answer(200, { ...page, totalRecords: "2" }))).rejects.toThrow(
      /\/totalRecords must be integer/,
    );
    // RowsPage -> rows.items -> Row: the nested reference resolves and is enforced.
    await expect(
      assertMatchesSpec(getRows(), answer(200, { totalRecords: 1, rows: [{ EntryId: "1" }] })),
    ).rejects.toThrow(/\/rows\/0\/EntryId must be integer/);
  });

  it("quotes an excerpt of the body", async () => {
    await expect(assertMatchesSpec(getRows(), answer(200, { rows: [], marker: "here" }))).rejects.toThrow(
      /Body: \{"rows":\[\],"marker":"here"\}/,
    );
  });

  it("checks error answers against their $ref'd response", async () => {
    await expect(assertMatchesSpec(getRows(), answer(401, { message: "expired" }))).resolves.toBeUndefined();
    await expect(assertMatchesSpec(getRows(), answer(401, { error: "expired" }))).rejects.toThrow(
      /must have required property 'message'/,
    );
  });

  it("fails an undeclared status, naming the declared ones", async () => {
    await expect(assertMatchesSpec(getRows(), answer(418, { message: "teapot" }))).rejects.toThrow(
      /status 418 is not declared; declared: 200, 400, 401, 403/,
    );
  });

  it("fails a wrong media type, a body that is not JSON and an empty body", async () => {
    await expect(assertMatchesSpec(getRows(), answer(200, JSON.stringify(page), "text/plain"))).rejects.toThrow(
      /media type text\/plain is not declared/,
    );
    await expect(assertMatchesSpec(getRows(), answer(200, JSON.stringify(page), null))).rejects.toThrow(
      /no Content-Type/,
    );
    await expect(assertMatchesSpec(getRows(), answer(200, "{rows:"))).rejects.toThrow(/not valid JSON/);
    await expect(assertMatchesSpec(getRows(), answer(200, undefined))).rejects.toThrow(/body is empty/);
  });

  it("accepts any JSON where the schema is {} and still requires JSON", async () => {
    const views = () => new Request(`${SITE}/api/rest/v4/data/rows/view`);
    await expect(assertMatchesSpec(views(), answer(200, [{ anything: true }]))).resolves.toBeUndefined();
    await expect(assertMatchesSpec(views(), answer(200, "not json"))).rejects.toThrow(/not valid JSON/);
  });

  it("fails a body on a 204 declared without content, and passes an empty one", async () => {
    const url = `${SITE}/api/rest/v4/backups/request`;
    const backup = () => new Request(url, { method: "POST", body: JSON.stringify({ apiNames: ["company"] }) });
    await expect(assertMatchesSpec(backup(), new Response(null, { status: 204 }))).resolves.toBeUndefined();
    // `new Response` refuses a body with 204, but a server or msw answer could carry one: check the text directly.
    const found = findOperation("POST", url);
    expect(found?.name).toBe("POST /request");
    expect(() =>
      checkResponse(found!, 204, new Headers({ "content-type": JSON_TYPE }), "{}", "POST /api/rest/v4/backups/request"),
    ).toThrow(
      /POST \/request \(backups, requestBackup.*answered 204: response "204" declares no content, but the body is not empty/,
    );
    // A 200 with a body is not what the document declares either.
    await expect(assertMatchesSpec(backup(), answer(200, {}))).rejects.toThrow(
      /status 200 is not declared; declared: 204, 400, 401, 403/,
    );
  });

  it("fails a request no spec declares, unless the answer is the unknown-route 404/405", async () => {
    const unknown = () => new Request(`${SITE}/api/rest/v4/data/nowhere`);
    await expect(assertMatchesSpec(unknown(), answer(200, {}))).rejects.toThrow(
      /the mock answered a request no spec declares/i,
    );
    await expect(assertMatchesSpec(unknown(), answer(404, { message: "no route" }))).resolves.toBeUndefined();
    await expect(
      assertMatchesSpec(new Request(ROWS, { method: "DELETE" }), answer(405, { message: "no" })),
    ).resolves.toBeUndefined();
    // A declared operation must not answer 404 unless its document declares it.
    await expect(assertMatchesSpec(getRows(), answer(404, { message: "gone" }))).rejects.toThrow(
      /status 404 is not declared/,
    );
  });

  it("skips the token endpoint", async () => {
    const token = new Request(`${SITE}/api/rest/v1/oauth/token`, {
      method: "POST",
      body: "grant_type=client_credentials",
    });
    await expect(assertMatchesSpec(token, answer(200, { access_token: "x" }))).resolves.toBeUndefined();
  });

  it("accepts an RI Import request under /api/rest/v1/ri/import", async () => {
    const status = new Request(`${SITE}/api/rest/v1/ri/import/status`);
    await expect(assertMatchesSpec(status, answer(401, { message: "expired" }))).resolves.toBeUndefined();
    await expect(assertMatchesSpec(status, answer(401, {}))).rejects.toThrow(/GET \/status \(ri-import/);
  });
});

describe.each(SPEC_PACKAGES)("the %s document", (pkg) => {
  it("has component schemas that are valid 2020-12 schemas and compile", () => {
    expect(componentSchemaProblems(pkg)).toEqual([]);
  });

  it("has responses whose $refs resolve and whose schemas compile", () => {
    expect(responseSchemaProblems(pkg)).toEqual([]);
  });
});

it("Ajv logged no strict-mode warnings while compiling the documents", () => {
  for (const pkg of SPEC_PACKAGES) {
    componentSchemaProblems(pkg);
    responseSchemaProblems(pkg);
  }
  expect(ajvWarnings).toEqual([]);
});
