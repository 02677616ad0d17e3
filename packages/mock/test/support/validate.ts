// Checks one exchange with the mock against the OpenAPI documents: the request must be a declared operation,
// the status a declared response, the media type a declared one, and the body must validate against the
// declared schema (JSON Schema 2020-12, as OpenAPI 3.1 uses). `test/support/api.ts` runs this for every call the
// area tests make, so the mock and the documents cannot drift apart.
//
// References: each whole document is added to Ajv under its own `$id` (`https://specs.dealcloud-ts.test/<package>.json`),
// and every schema is compiled as `{ $ref: "<$id>#<JSON pointer to the schema in the document>" }`. Ajv then
// resolves the schema's own `#/components/schemas/X` references against that document, however deeply nested.
// Response and header objects that are `$ref`s (`#/components/responses/X`) are followed here, since they are
// not schemas; the pointer of the resolved object is what gets compiled, so shared responses share validators.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import {
  findOperation,
  loadSpecs,
  pointerToken,
  spec,
  type FoundOperation,
  type LoadedSpec,
  type SpecPackage,
} from "./openapi.js";

/** The token endpoint is not part of the documents (it has its own tests). */
const TOKEN_PATH = "/api/rest/v1/oauth/token";
/** How much of a body an error message quotes. */
const EXCERPT_LENGTH = 600;
/** How many Ajv errors an error message lists. */
const MAX_ERRORS = 15;
/** Annotation keywords: a schema made only of these constrains nothing (`schema: {}` = any JSON). */
const ANNOTATIONS = new Set([
  "description",
  "title",
  "examples",
  "example",
  "deprecated",
  "$comment",
  "readOnly",
  "writeOnly",
  "default",
]);

/** The `$id` a document is registered under. */
export function specId(pkg: SpecPackage): string {
  return `https://specs.dealcloud-ts.test/${pkg}.json`;
}

// ajv-formats is CommonJS: under NodeNext its default import is the whole module, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

let ajvInstance: Ajv2020 | undefined;
/** Warnings Ajv logged while compiling (strict-mode type hints), kept for the schema tests. */
export const ajvWarnings: string[] = [];

/** The shared Ajv instance, with the six documents added. */
export function ajv(): Ajv2020 {
  if (ajvInstance) return ajvInstance;
  const instance = new Ajv2020({
    allErrors: true,
    // Strict mode stays on: unknown keywords and formats are errors, so a typo in a document is caught.
    strict: true,
    logger: {
      log: () => {},
      warn: (...args: unknown[]) => void ajvWarnings.push(args.map(String).join(" ")),
      error: (...args: unknown[]) => void ajvWarnings.push(args.map(String).join(" ")),
    },
  });
  addFormats(instance);
  // OpenAPI's own formats (OpenAPI 3.1 §4.4 / the format registry); `binary` is a file part, not JSON.
  instance.addFormat("int32", {
    type: "number",
    validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31,
  });
  instance.addFormat("int64", { type: "number", validate: (value: number) => Number.isInteger(value) });
  instance.addFormat("float", { type: "number", validate: () => true });
  instance.addFormat("double", { type: "number", validate: () => true });
  instance.addFormat("binary", true);
  instance.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
  instance.addFormat("password", true);
  // OpenAPI-only schema keywords (3.0 `example`, `discriminator`, `xml`, `externalDocs`) are annotations.
  for (const keyword of ["example", "discriminator", "xml", "externalDocs"]) instance.addKeyword(keyword);
  // The documents are added whole, and Ajv compiles a referenced schema's root too: the OpenAPI Object's own
  // fields and every vendor extension (`x-dealcloud-*`) are annotations to it, not unknown keywords.
  for (const keyword of [
    "openapi",
    "info",
    "jsonSchemaDialect",
    "servers",
    "paths",
    "webhooks",
    "components",
    "security",
    "tags",
  ]) {
    instance.addKeyword(keyword);
  }
  for (const keyword of vendorExtensions(loadSpecs().map((loadedSpec) => loadedSpec.document)))
    instance.addKeyword(keyword);
  for (const loadedSpec of loadSpecs()) instance.addSchema(loadedSpec.document, specId(loadedSpec.package));
  ajvInstance = instance;
  return instance;
}

/** Every `x-*` key anywhere in `values`. */
function vendorExtensions(values: readonly unknown[]): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith("x-")) found.add(key);
      visit(child);
    }
  };
  values.forEach(visit);
  return found;
}

const validators = new Map<string, ValidateFunction>();

/** The URI of a JSON pointer into a document, as a `$ref` (each token escaped and URI-encoded). */
function refTo(pkg: SpecPackage, pointer: string): string {
  const tokens = pointer
    .split("/")
    .slice(1)
    .map((token) => encodeURIComponent(token));
  return `${specId(pkg)}#/${tokens.join("/")}`;
}

/** The validator of the schema at `pointer` in a document, compiled once; throws when Ajv cannot compile it. */
export function validatorAt(pkg: SpecPackage, pointer: string): ValidateFunction {
  const key = `${pkg}#${pointer}`;
  let validate = validators.get(key);
  if (!validate) {
    try {
      validate = ajv().compile({ $ref: refTo(pkg, pointer) });
    } catch (error) {
      throw new Error(
        `Spec problem: the schema at ${pkg}/openapi.yaml#${pointer} does not compile: ${(error as Error).message}`,
        { cause: error },
      );
    }
    validators.set(key, validate);
  }
  return validate;
}

/** The value at a JSON pointer (`/a/b~1c`) of a document. */
function at(document: unknown, pointer: string): unknown {
  let value = document;
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (value === null || typeof value !== "object" || !(token in value)) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

/** Follows local `$ref`s (`#/components/responses/X`) from the object at `pointer`; gives the final object and its pointer. */
export function resolveObject(
  loadedSpec: LoadedSpec,
  pointer: string,
): { value: Record<string, unknown>; pointer: string } {
  const seen = new Set<string>();
  let current = pointer;
  for (;;) {
    const value = at(loadedSpec.document, current);
    if (value === null || typeof value !== "object") {
      throw new Error(
        `Spec problem: ${loadedSpec.package}/openapi.yaml#${current} is missing (reached from #${pointer}).`,
      );
    }
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref !== "string") return { value: value as Record<string, unknown>, pointer: current };
    if (!ref.startsWith("#/"))
      throw new Error(
        `Spec problem: ${loadedSpec.package}/openapi.yaml#${current} refers outside the document (${ref}).`,
      );
    if (seen.has(ref))
      throw new Error(`Spec problem: ${loadedSpec.package}/openapi.yaml#${pointer} has a $ref cycle through ${ref}.`);
    seen.add(ref);
    current = decodeURIComponent(ref.slice(1));
  }
}

/** The declared response key for a status: the exact code, else `NXX`, else `default`. */
function responseKey(responses: Readonly<Record<string, unknown>>, status: number): string | undefined {
  const exact = String(status);
  if (exact in responses) return exact;
  const range = `${exact[0]}XX`;
  for (const key of Object.keys(responses)) if (key.toUpperCase() === range) return key;
  return "default" in responses ? "default" : undefined;
}

/** The bare media type, lower case: `application/json` from `application/json;charset=UTF-8`. */
function bareMediaType(value: string): string {
  return value.split(";")[0]!.trim().toLowerCase();
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === "application/json" || /^[a-z]+\/[^;]*\+json$/.test(mediaType);
}

/** The declared media type key that `actual` matches: exact, then `type/*`, then `*\/*`. */
function matchMediaType(declared: readonly string[], actual: string): string | undefined {
  const byBare = new Map(declared.map((key) => [bareMediaType(key), key] as const));
  return byBare.get(actual) ?? byBare.get(`${actual.split("/")[0]}/*`) ?? byBare.get("*/*");
}

/** True when a schema constrains nothing (`{}` or only annotations). */
function isUnconstrained(schema: unknown): boolean {
  if (schema === true) return true;
  if (schema === null || typeof schema !== "object") return false;
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key));
}

function excerpt(text: string): string {
  if (text === "") return "(empty)";
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}… (${text.length} chars)` : text;
}

/** Ajv errors as `instancePath message (detail)` lines. */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  const lines = list.slice(0, MAX_ERRORS).map((error) => {
    const params = error.params as Record<string, unknown>;
    let detail = "";
    if (typeof params["additionalProperty"] === "string") detail = ` (${params["additionalProperty"]})`;
    else if (Array.isArray(params["allowedValues"])) detail = ` (${JSON.stringify(params["allowedValues"])})`;
    return `  - ${error.instancePath || "(root)"} ${error.message ?? error.keyword}${detail} [${error.schemaPath}]`;
  });
  if (list.length > MAX_ERRORS) lines.push(`  - … and ${list.length - MAX_ERRORS} more`);
  return lines.join("\n");
}

/** A header value as JSON when the schema wants a non-string, e.g. `Retry-After: 5` against `type: integer`. */
function headerValue(raw: string, schema: unknown): unknown {
  const type = schema !== null && typeof schema === "object" ? (schema as { type?: unknown }).type : undefined;
  if (type === undefined || type === "string" || (Array.isArray(type) && type.includes("string"))) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * Throws unless `response` is an answer the documents allow for `request`. Skips the token endpoint (not in the
 * documents) and 404/405 answers to requests no document declares (the mock's answer for unknown routes). The
 * response's body is read, so pass a clone when the caller still needs it.
 */
export async function assertMatchesSpec(request: Request, response: Response): Promise<void> {
  const url = new URL(request.url);
  if (url.pathname.replace(/\/+$/, "").toLowerCase() === TOKEN_PATH) return;
  const found = findOperation(request.method, url);
  if (!found) {
    if (response.status === 404 || response.status === 405) return;
    throw new Error(
      `The mock answered a request no spec declares: ${request.method} ${url.pathname} got ${response.status}. ` +
        "Either the mock serves an operation the OpenAPI documents lack, or the request's path or method is wrong.",
    );
  }
  const text = response.type === "error" ? "" : await response.text();
  checkResponse(found, response.status, response.headers, text, `${request.method} ${url.pathname}${url.search}`);
}

/** The checks of `assertMatchesSpec` once the operation is known; throws an `Error` naming what is wrong. */
export function checkResponse(
  found: FoundOperation,
  status: number,
  headers: Headers,
  text: string,
  requestLine: string,
): void {
  const { spec: loadedSpec } = found;
  const label =
    `${found.name} (${loadedSpec.package}${found.operation.operationId ? `, ${found.operation.operationId}` : ""}; ` +
    `request ${requestLine}) answered ${status}`;
  const mismatch = (problem: string) =>
    new Error(`Mock answer does not match the spec: ${label}: ${problem}\nBody: ${excerpt(text)}`);

  const responses = found.operation.responses ?? {};
  const key = responseKey(responses, status);
  if (key === undefined) {
    throw mismatch(`status ${status} is not declared; declared: ${Object.keys(responses).join(", ") || "none"}.`);
  }
  const responsePointer = `${found.pointer}/responses/${pointerToken(key)}`;
  const { value: declared, pointer: resolvedPointer } = resolveObject(loadedSpec, responsePointer);

  // Required headers (a header object may itself be a `$ref`).
  const declaredHeaders = (declared["headers"] ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(declaredHeaders)) {
    const { value: header, pointer: headerPointer } = resolveObject(
      loadedSpec,
      `${resolvedPointer}/headers/${pointerToken(name)}`,
    );
    if (header["required"] !== true) continue;
    const raw = headers.get(name);
    if (raw === null) {
      throw mismatch(`the required header ${name} is missing.`);
    }
    if (header["schema"] !== undefined && !isUnconstrained(header["schema"])) {
      const validate = validatorAt(loadedSpec.package, `${headerPointer}/schema`);
      if (!validate(headerValue(raw, header["schema"])))
        throw mismatch(
          `header ${name}: ${JSON.stringify(raw)} does not match its schema:\n${formatAjvErrors(validate.errors)}`,
        );
    }
  }

  const content = declared["content"] as Record<string, { schema?: unknown }> | undefined;
  if (!content || Object.keys(content).length === 0) {
    if (text !== "") throw mismatch(`response "${key}" declares no content, but the body is not empty.`);
    return;
  }
  if (text === "") {
    throw mismatch(`response "${key}" declares content (${Object.keys(content).join(", ")}), but the body is empty.`);
  }
  const contentType = headers.get("content-type");
  if (contentType === null) {
    throw mismatch(`the answer has no Content-Type; declared: ${Object.keys(content).join(", ")}.`);
  }
  const mediaType = bareMediaType(contentType);
  const mediaKey = matchMediaType(Object.keys(content), mediaType);
  if (mediaKey === undefined) {
    throw mismatch(`media type ${contentType} is not declared; declared: ${Object.keys(content).join(", ")}.`);
  }
  if (!isJsonMediaType(mediaType)) return; // Not JSON (a file, CSV): the schema cannot be checked against text.
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    throw mismatch(`the body is not valid JSON (${(error as Error).message}).`);
  }
  const schema = content[mediaKey]?.schema;
  if (schema === undefined || isUnconstrained(schema)) return; // Shape unknown: any JSON will do.
  const validate = validatorAt(loadedSpec.package, `${resolvedPointer}/content/${pointerToken(mediaKey)}/schema`);
  if (!validate(body))
    throw mismatch(
      `the body does not match the schema of response "${key}" (${mediaKey}):\n${formatAjvErrors(validate.errors)}`,
    );
}

/** Problems compiling one document's component schemas: Ajv compile errors and 2020-12 meta-schema violations. */
export function componentSchemaProblems(pkg: SpecPackage): string[] {
  const problems: string[] = [];
  const schemas = (spec(pkg).document.components?.["schemas"] ?? {}) as Record<string, unknown>;
  for (const [name, schema] of Object.entries(schemas)) {
    const pointer = `/components/schemas/${pointerToken(name)}`;
    if (!ajv().validateSchema(schema as object))
      problems.push(`${name}: not a valid 2020-12 schema: ${ajv().errorsText(ajv().errors)}`);
    try {
      validatorAt(pkg, pointer);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Problems resolving and compiling every response of every operation of one document (bodies and headers). */
export function responseSchemaProblems(pkg: SpecPackage): string[] {
  const problems: string[] = [];
  const loadedSpec = spec(pkg);
  for (const [template, pathItem] of Object.entries(loadedSpec.document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method)) continue;
      const operationPointer = `/paths/${pointerToken(template)}/${method}`;
      const responses = ((operation as { responses?: Record<string, unknown> }).responses ?? {}) as Record<
        string,
        unknown
      >;
      if (Object.keys(responses).length === 0)
        problems.push(`${method.toUpperCase()} ${template}: no responses declared`);
      for (const key of Object.keys(responses)) {
        const where = `${method.toUpperCase()} ${template} ${key}`;
        try {
          const { value, pointer } = resolveObject(loadedSpec, `${operationPointer}/responses/${pointerToken(key)}`);
          for (const [mediaKey, media] of Object.entries(
            (value["content"] ?? {}) as Record<string, { schema?: unknown }>,
          )) {
            if (media.schema !== undefined && !isUnconstrained(media.schema))
              validatorAt(pkg, `${pointer}/content/${pointerToken(mediaKey)}/schema`);
          }
          for (const name of Object.keys((value["headers"] ?? {}) as Record<string, unknown>)) {
            const { value: header, pointer: headerPointer } = resolveObject(
              loadedSpec,
              `${pointer}/headers/${pointerToken(name)}`,
            );
            if (header["schema"] !== undefined) validatorAt(pkg, `${headerPointer}/schema`);
          }
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message}`);
        }
      }
    }
  }
  return problems;
}
