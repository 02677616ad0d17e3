// Compares a Swagger 2.0 or OpenAPI 3.x document exported from a real DealCloud site with our reconstructed
// specs: operations missing on either side, and parameters or body fields whose names or types differ. Paths
// are compared from the site root and case-insensitively (ASP.NET routing), path parameter names ignored.
import type { Spec } from "./spec.ts";

type Json = Record<string, any>;

export interface NormalizedOperation {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  /** `query limit`, `body[].EntryId`, `response[].rows[].EntryId`, … → type. */
  readonly fields: ReadonlyMap<string, string>;
}

export interface ComparisonReport {
  readonly onlyInSite: readonly string[];
  readonly onlyInOurs: readonly string[];
  /** Areas (base paths) of ours that the site's document does not contain at all. */
  readonly areasNotInSite: readonly { basePath: string; operations: number }[];
  readonly differences: readonly string[];
  readonly shared: number;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const MAX_DEPTH = 4;

function resolve(root: Json, value: any, seen = new Set<string>()): any {
  while (value && typeof value.$ref === "string" && value.$ref.startsWith("#/")) {
    if (seen.has(value.$ref)) return {};
    seen.add(value.$ref);
    value = value.$ref
      .slice(2)
      .split("/")
      .map((part: string) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((node: any, part: string) => node?.[part], root);
  }
  return value ?? {};
}

function typeOf(root: Json, schema: any): string {
  schema = resolve(root, schema);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return [...new Set(alternatives.map((s: any) => typeOf(root, s)))].sort().join("|");
  const type = Array.isArray(schema.type) ? schema.type.filter((t: string) => t !== "null").join("|") : schema.type;
  if (type) return type === "number" && schema.format?.startsWith("int") ? "integer" : type;
  if (schema.properties || schema.additionalProperties) return "object";
  if (schema.items) return "array";
  return "any";
}

function flatten(root: Json, schema: any, prefix: string, into: Map<string, string>, depth = 0, seen = new Set<any>()) {
  schema = resolve(root, schema);
  if (seen.has(schema) || depth > MAX_DEPTH) return;
  seen = new Set(seen).add(schema);
  into.set(prefix, typeOf(root, schema));
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const resolved = resolve(root, part);
    if (resolved.properties || resolved.items) flatten(root, resolved, prefix, into, depth, seen);
  }
  if (schema.items) flatten(root, schema.items, `${prefix}[]`, into, depth + 1, seen);
  for (const [name, property] of Object.entries<any>(schema.properties ?? {})) {
    flatten(root, property, `${prefix}.${name}`, into, depth + 1, seen);
  }
  // The flatten of a oneOf branch re-sets the prefix's own type; keep the union.
  into.set(prefix, typeOf(root, schema));
}

const pathShape = (path: string) =>
  path
    .toLowerCase()
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\/$/, "");

/** Every operation of a Swagger 2.0 or OpenAPI 3.x document, with its fields flattened. */
export function normalize(document: Json): NormalizedOperation[] {
  const isSwagger2 = typeof document.swagger === "string";
  const serverUrl: string = isSwagger2
    ? `https://x${document.basePath ?? ""}`
    : (document.servers?.[0]?.url ?? "https://x");
  const basePath = new URL(serverUrl.replace(/\{[^}]*\}/g, "x"), "https://x").pathname.replace(/\/$/, "");
  const operations: NormalizedOperation[] = [];
  for (const [path, rawItem] of Object.entries<any>(document.paths ?? {})) {
    const item = resolve(document, rawItem);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const fields = new Map<string, string>();
      for (const rawParam of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const param = resolve(document, rawParam);
        if (param.in === "body") flatten(document, param.schema, "body", fields);
        else if (param.in === "path") fields.set(`path {${fields.size}}`, typeOf(document, param.schema ?? param));
        else if (param.in !== "formData")
          fields.set(
            `${param.in} ${param.in === "header" ? String(param.name).toLowerCase() : param.name}`,
            typeOf(document, param.schema ?? param),
          );
      }
      const body = resolve(document, op.requestBody);
      const bodySchema = body.content?.["application/json"]?.schema ?? body.content?.["text/json"]?.schema;
      if (bodySchema) flatten(document, bodySchema, "body", fields);
      const [status, rawResponse] = Object.entries<any>(op.responses ?? {}).find(([code]) => /^2/.test(code)) ?? [];
      if (status) {
        const response = resolve(document, rawResponse);
        const schema = isSwagger2
          ? response.schema
          : (response.content?.["application/json"]?.schema ?? response.content?.["text/json"]?.schema);
        if (schema) flatten(document, schema, "response", fields);
      }
      const fullPath = basePath + path;
      operations.push({
        key: `${method.toUpperCase()} ${pathShape(fullPath)}`,
        method: method.toUpperCase(),
        path: fullPath,
        fields,
      });
    }
  }
  return operations;
}

const isOpen = (type: string | undefined) => type === undefined || type === "any";

export function compareDocuments(site: Json, ours: readonly Spec[]): ComparisonReport {
  const siteOps = new Map(normalize(site).map((op) => [op.key, op]));
  const ourOps = new Map<string, NormalizedOperation>();
  const areasNotInSite: { basePath: string; operations: number }[] = [];
  for (const spec of ours) {
    const normalized = normalize(spec.document);
    const prefix = spec.basePath.toLowerCase();
    if (![...siteOps.keys()].some((key) => key.split(" ")[1]!.startsWith(prefix))) {
      areasNotInSite.push({ basePath: spec.basePath, operations: normalized.length });
      continue;
    }
    for (const op of normalized) ourOps.set(op.key, op);
  }
  const onlyInSite = [...siteOps.values()]
    .filter(
      (op) =>
        !ourOps.has(op.key) &&
        !areasNotInSite.some((area) => op.path.toLowerCase().startsWith(area.basePath.toLowerCase())),
    )
    .map((op) => `${op.method} ${op.path}`);
  const onlyInOurs = [...ourOps.values()].filter((op) => !siteOps.has(op.key)).map((op) => `${op.method} ${op.path}`);
  const differences: string[] = [];
  let shared = 0;
  for (const [key, ourOp] of ourOps) {
    const siteOp = siteOps.get(key);
    if (!siteOp) continue;
    shared++;
    const where = `${ourOp.method} ${ourOp.path}`;
    const siteByLower = new Map([...siteOp.fields.keys()].map((name) => [name.toLowerCase(), name]));
    for (const [name, type] of ourOp.fields) {
      const siteType = siteOp.fields.get(name);
      if (siteType === undefined) {
        const other = siteByLower.get(name.toLowerCase());
        differences.push(
          other
            ? `${where}: ${name} is spelled ${other} by the site`
            : `${where}: ${name} (${type}) is not in the site's document`,
        );
      } else if (siteType !== type && !isOpen(siteType) && !isOpen(type)) {
        differences.push(`${where}: ${name} is ${type} in ours, ${siteType} in the site's`);
      }
    }
    const ourByLower = new Set([...ourOp.fields.keys()].map((name) => name.toLowerCase()));
    for (const [name, type] of siteOp.fields) {
      if (!ourByLower.has(name.toLowerCase()))
        differences.push(`${where}: the site has ${name} (${type}), ours does not`);
    }
  }
  return { onlyInSite, onlyInOurs, areasNotInSite, differences, shared };
}

export function formatComparison(report: ComparisonReport): string {
  const section = (title: string, lines: readonly string[]) =>
    lines.length ? [`${title} (${lines.length}):`, ...lines.map((line) => `  ${line}`)] : [];
  const lines = [
    `${report.shared} operation(s) in both documents.`,
    ...section("Operations in the site's document and not in ours", report.onlyInSite),
    ...section("Operations in ours and not in the site's document", report.onlyInOurs),
    ...section(
      "API areas the site's document does not contain (not compared)",
      report.areasNotInSite.map((area) => `${area.basePath} (${area.operations} operations)`),
    ),
    ...section("Differences in shared operations", report.differences),
  ];
  const drift = report.onlyInSite.length + report.onlyInOurs.length + report.differences.length;
  lines.push(
    drift
      ? `${drift} difference(s). Paste this output into an issue so the specs can be corrected.`
      : "No differences.",
  );
  return lines.join("\n");
}
