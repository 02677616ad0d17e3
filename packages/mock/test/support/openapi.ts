// The six OpenAPI documents the mock must honour, loaded once, and the lookup from a request to the operation
// that declares it. Path matching follows the mock's router (src/router.ts) and ASP.NET routing: literal
// segments match case-insensitively, a `{param}` takes exactly one segment, and when several templates match,
// the one with more literal segments wins.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** The packages that hold an `openapi.yaml`, in the order of `API` in `api.ts`. */
export const SPEC_PACKAGES = ["data", "schema", "user-management", "publications", "ri-import", "backups"] as const;
export type SpecPackage = (typeof SPEC_PACKAGES)[number];

/**
 * Base paths the mock also serves besides `servers[0]`: the RI Import token page names `api/rest/v1/ri/import`,
 * the RI endpoint pages `api/rest/v4/ri/import` (see the RI document's description).
 */
const ALTERNATE_BASE_PATHS: Partial<Record<SpecPackage, readonly string[]>> = {
  "ri-import": ["/api/rest/v1/ri/import"],
};

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** The parts of an OpenAPI 3.1 document the validator reads; everything else stays `unknown`. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly servers?: readonly { readonly url: string }[];
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly [key: string]: unknown;
}

/** An operation object; `responses` maps a status (`"200"`, `"4XX"`, `"default"`) to a response or a `$ref`. */
export interface OpenApiOperation {
  readonly operationId?: string;
  readonly responses?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** One loaded document. */
export interface LoadedSpec {
  readonly package: SpecPackage;
  /** The base path of `servers[0].url`, e.g. `/api/rest/v4/data`. */
  readonly basePath: string;
  /** `basePath` first, then the other base paths the mock serves the same operations under. */
  readonly basePaths: readonly string[];
  readonly document: OpenApiDocument;
  /** Where the document was read from. */
  readonly file: string;
}

/** One operation a document declares. */
export interface SpecOperation {
  readonly package: SpecPackage;
  readonly basePath: string;
  /** `"METHOD /template"`, as the mock's `operations` list names it, e.g. `"GET /entrydata/rows/{entryTypeId}"`. */
  readonly operation: string;
}

/** What `findOperation` found. */
export interface FoundOperation {
  readonly spec: LoadedSpec;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path template relative to the base path, e.g. `/entrydata/rows/{entryTypeId}`. */
  readonly template: string;
  /** `"METHOD /template"`. */
  readonly name: string;
  /** The base path the request used (for RI Import, possibly the v1 one). */
  readonly basePath: string;
  readonly operation: OpenApiOperation;
  /** The JSON pointer of the operation object in the document, e.g. `/paths/~1entrydata~1get/post`. */
  readonly pointer: string;
  /** Path parameters by template name, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledTemplate {
  readonly spec: LoadedSpec;
  readonly template: string;
  readonly segments: readonly string[];
  readonly literals: number;
  readonly methods: ReadonlyMap<string, OpenApiOperation>;
}

const SPECS_DIR = join(import.meta.dirname, "..", "..", "..");

const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}");
const split = (path: string) => path.split("/").filter((segment) => segment !== "");

/** Escapes one JSON pointer token (RFC 6901). */
export function pointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The path of a server URL such as `https://{site}/api/rest/v4/data` (the host may hold `{variables}`). */
function serverPath(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url);
  const path = match ? (match[1] ?? "/") : url;
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

let loaded: readonly LoadedSpec[] | undefined;
let templates: readonly CompiledTemplate[] | undefined;

/** The six documents, parsed on first use. */
export function loadSpecs(): readonly LoadedSpec[] {
  if (loaded) return loaded;
  loaded = SPEC_PACKAGES.map((pkg): LoadedSpec => {
    const file = join(SPECS_DIR, pkg, "openapi.yaml");
    const document = parse(readFileSync(file, "utf8")) as OpenApiDocument;
    const url = document.servers?.[0]?.url;
    if (!url) throw new Error(`${file}: servers[0].url is missing, so the base path is unknown.`);
    const basePath = serverPath(url);
    return { package: pkg, basePath, basePaths: [basePath, ...(ALTERNATE_BASE_PATHS[pkg] ?? [])], document, file };
  });
  return loaded;
}

/** The document of one package. */
export function spec(pkg: SpecPackage): LoadedSpec {
  const found = loadSpecs().find((candidate) => candidate.package === pkg);
  if (!found) throw new Error(`No OpenAPI document for ${pkg}.`);
  return found;
}

function operationsOf(pathItem: Readonly<Record<string, unknown>>): Map<string, OpenApiOperation> {
  const methods = new Map<string, OpenApiOperation>();
  for (const method of HTTP_METHODS) {
    const operation = pathItem[method];
    if (operation && typeof operation === "object") methods.set(method.toUpperCase(), operation as OpenApiOperation);
  }
  return methods;
}

function compiledTemplates(): readonly CompiledTemplate[] {
  if (templates) return templates;
  const all: CompiledTemplate[] = [];
  for (const loadedSpec of loadSpecs()) {
    for (const [template, pathItem] of Object.entries(loadedSpec.document.paths ?? {})) {
      const segments = split(template);
      all.push({
        spec: loadedSpec,
        template,
        segments,
        literals: segments.filter((segment) => !isParam(segment)).length,
        methods: operationsOf(pathItem),
      });
    }
  }
  templates = all;
  return templates;
}

/** Every operation the documents declare, under each document's `servers[0]` base path. */
export function specOperations(): SpecOperation[] {
  const list: SpecOperation[] = [];
  for (const { spec: loadedSpec, template, methods } of compiledTemplates()) {
    for (const method of methods.keys()) {
      list.push({ package: loadedSpec.package, basePath: loadedSpec.basePath, operation: `${method} ${template}` });
    }
  }
  return list;
}

/** The path after `basePath` when `pathname` starts with it (segment-wise, case-insensitively). */
function afterBase(parts: readonly string[], basePath: string): readonly string[] | undefined {
  const base = split(basePath);
  if (parts.length < base.length) return undefined;
  for (let i = 0; i < base.length; i++) if (parts[i]!.toLowerCase() !== base[i]!.toLowerCase()) return undefined;
  return parts.slice(base.length);
}

function bind(segments: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (isParam(segment)) {
      let value: string;
      try {
        value = decodeURIComponent(part);
      } catch {
        value = part;
      }
      params[segment.slice(1, -1)] = value;
    } else if (segment.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return params;
}

/**
 * The operation a request is for: the URL's path must be a base path of some document followed by one of its
 * templates, and the template must declare `method`. When several templates match, the one with more literal
 * segments wins. Undefined when no document declares the request.
 */
export function findOperation(method: string, url: string | URL): FoundOperation | undefined {
  const upper = method.toUpperCase();
  const parts = split(new URL(url).pathname);
  let best: { found: FoundOperation; literals: number } | undefined;
  for (const candidate of compiledTemplates()) {
    const operation = candidate.methods.get(upper);
    if (!operation) continue;
    if (best && best.literals >= candidate.literals) continue;
    for (const basePath of candidate.spec.basePaths) {
      const rest = afterBase(parts, basePath);
      if (!rest) continue;
      const params = bind(candidate.segments, rest);
      if (!params) continue;
      best = {
        literals: candidate.literals,
        found: {
          spec: candidate.spec,
          method: upper,
          template: candidate.template,
          name: `${upper} ${candidate.template}`,
          basePath,
          operation,
          pointer: `/paths/${pointerToken(candidate.template)}/${upper.toLowerCase()}`,
          params,
        },
      };
      break;
    }
  }
  return best?.found;
}
