// Reads one API package's openapi.yaml and extracts what the runtime needs beyond types: the base path, the scope
// of every operation, which operations may be repeated, how long an operation may wait, and the documented rate
// limit. Also enforces the project's spec rules (docs/specs.md).
import { readFile } from "node:fs/promises";
import { parse } from "yaml";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export const CONFIDENCE = ["H", "M", "L"] as const;
/**
 * The methods that are reads by definition: always `x-dealcloud-idempotent: true`, and always retried, so the
 * descriptor's `idempotentOperations` leaves them out. Any other method says why its mark holds.
 */
export const SAFE_METHODS: readonly string[] = ["get", "head", "options"];

export interface SpecOperation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly scopes: readonly string[];
  readonly catalogueId: string;
  readonly sources: readonly string[];
  readonly confidence: string;
  readonly summary: string;
  /** `x-dealcloud-idempotent`: whether repeating the operation cannot have a second effect (docs/specs.md). */
  readonly idempotent: boolean;
  /** `x-dealcloud-wait-field`: the request body field (ms) the server may hold the call open for, if any. */
  readonly waitField: string | undefined;
}

export interface SpecRateLimit {
  readonly requests: number;
  readonly perSeconds: number;
}

export interface Spec {
  readonly file: string;
  readonly document: Record<string, any>;
  readonly basePath: string;
  readonly operations: readonly SpecOperation[];
  readonly rateLimit: SpecRateLimit | undefined;
  /** Violations of docs/specs.md; empty when the document follows the rules. */
  readonly problems: readonly string[];
}

export async function readSpec(file: string): Promise<Spec> {
  const document = parse(await readFile(file, "utf8")) as Record<string, any>;
  const problems: string[] = [];
  const serverUrl: unknown = document.servers?.[0]?.url;
  let basePath = "";
  if (typeof serverUrl !== "string") problems.push("servers[0].url is missing");
  else basePath = new URL(serverUrl.replace("{site}", "site.invalid")).pathname.replace(/\/$/, "");
  if (document.security !== undefined)
    problems.push("a top-level `security` would hide a missing per-operation requirement");

  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const requirements: unknown[] = Array.isArray(op.security) ? op.security : [];
      const scopes: string[] = [];
      if (requirements.length !== 1)
        problems.push(`${where}: needs exactly one security requirement, has ${requirements.length}`);
      for (const requirement of requirements as Record<string, unknown>[]) {
        for (const [scheme, list] of Object.entries(requirement)) {
          if (scheme !== "dealcloud") problems.push(`${where}: unknown security scheme "${scheme}"`);
          if (!Array.isArray(list) || list.length !== 1)
            problems.push(`${where}: the requirement must name exactly one scope`);
          else scopes.push(...(list as string[]));
        }
      }
      const catalogueId = op["x-dealcloud-catalogue"];
      const sources = op["x-dealcloud-source"];
      const confidence = op["x-dealcloud-confidence"];
      if (typeof catalogueId !== "string") problems.push(`${where}: x-dealcloud-catalogue is missing`);
      if (!Array.isArray(sources) || sources.length === 0)
        problems.push(`${where}: x-dealcloud-source must list the sources`);
      if (!CONFIDENCE.includes(confidence)) problems.push(`${where}: x-dealcloud-confidence must be H, M or L`);
      const idempotent = op["x-dealcloud-idempotent"];
      if (typeof idempotent !== "boolean") problems.push(`${where}: x-dealcloud-idempotent must be true or false`);
      else if (!idempotent && SAFE_METHODS.includes(method))
        problems.push(`${where}: a ${method.toUpperCase()} is a read, so x-dealcloud-idempotent must be true`);
      const why = op["x-dealcloud-idempotent-why"];
      if (why !== undefined ? typeof why !== "string" || !why.trim() : !SAFE_METHODS.includes(method))
        problems.push(
          `${where}: x-dealcloud-idempotent-why must say why a ${method.toUpperCase()} is or is not idempotent`,
        );
      const waitField = op["x-dealcloud-wait-field"];
      if (waitField !== undefined && !isIntegerBodyField(document, op, waitField))
        problems.push(`${where}: x-dealcloud-wait-field must name an integer property of the JSON request body`);
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(op.operationId ?? ""),
        scopes,
        catalogueId: String(catalogueId ?? ""),
        sources: Array.isArray(sources) ? sources.map(String) : [],
        confidence: String(confidence ?? ""),
        summary: String(op.summary ?? ""),
        idempotent: idempotent === true,
        waitField: typeof waitField === "string" ? waitField : undefined,
      });
    }
  }

  const limit = document["x-dealcloud-rate-limit"];
  let rateLimit: SpecRateLimit | undefined;
  if (limit !== undefined) {
    if (
      !(
        Number.isInteger(limit.requests) &&
        limit.requests > 0 &&
        typeof limit.perSeconds === "number" &&
        limit.perSeconds > 0
      )
    ) {
      problems.push("x-dealcloud-rate-limit needs positive `requests` and `perSeconds`");
    } else rateLimit = { requests: limit.requests, perSeconds: limit.perSeconds };
  }
  return { file, document, basePath, operations, rateLimit, problems };
}

/** Whether `field` is an integer property of the operation's `application/json` request body schema. */
function isIntegerBodyField(document: Record<string, any>, op: Record<string, any>, field: unknown): boolean {
  const schema = resolveRef(document, resolveRef(document, op.requestBody)?.content?.["application/json"]?.schema);
  return typeof field === "string" && resolveRef(document, schema?.properties?.[field])?.type === "integer";
}

/** Follows a local `$ref` (`#/components/...`) to what it names; anything else comes back as it is. */
function resolveRef(document: Record<string, any>, value: any): any {
  if (typeof value?.$ref !== "string" || !value.$ref.startsWith("#/")) return value;
  return value.$ref
    .slice(2)
    .split("/")
    .reduce((node: any, part: string) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], document);
}

/** The union of the scopes an API's operations need, sorted. */
export function unionOfScopes(operations: readonly SpecOperation[]): string[] {
  return [...new Set(operations.flatMap((op) => op.scopes))].sort();
}
