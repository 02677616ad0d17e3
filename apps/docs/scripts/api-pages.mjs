#!/usr/bin/env node
// Writes one Markdown page per API area, apps/docs/generated/<package>.md, from the package's openapi.yaml: what
// the API is, its base path and scopes, its documented limits (the spec's `x-dealcloud-rate-limit` and every
// `maxItems`/`maximum` on a request body or parameter) and a table of its operations with their catalogue ids,
// confidence marks and sources, and whether each operation is retried (`x-dealcloud-idempotent`, with its reason,
// and `x-dealcloud-wait-field`). Nothing on the pages is copied by hand, so they cannot drift from the specs.
// The output is deterministic (spec order, no dates): the same specs give the same bytes.
//
// Usage: node scripts/api-pages.mjs   (from apps/docs; typedoc picks the pages up as project documents)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const docsApp = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(docsApp, "..", "..");
const outDir = join(docsApp, "generated");

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const CONFIDENCE = { H: "High", M: "Medium", L: "Low" };
const LIMIT_KEYWORDS = [
  ["maxItems", (n) => `at most ${n} items`],
  ["maximum", (n) => `at most ${n}`],
  ["exclusiveMaximum", (n) => `less than ${n}`],
  ["maxLength", (n) => `at most ${n} characters`],
  ["maxProperties", (n) => `at most ${n} keys`],
];

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
const cell = (text) =>
  String(text)
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
const code = (text) => `\`${text}\``;
const fail = (spec, message) => {
  throw new Error(`${relative(root, spec)}: ${message}`);
};

function pageFor(dir) {
  const specPath = join(root, "packages", dir, "openapi.yaml");
  const spec = parse(readFileSync(specPath, "utf8"));
  const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
  const specFile = `packages/${dir}/openapi.yaml`;

  /** Follows a local `$ref` (`#/components/...`). */
  const resolve = (node) => {
    let seen = 0;
    while (node && typeof node === "object" && typeof node.$ref === "string") {
      if (!node.$ref.startsWith("#/") || ++seen > 20) fail(specPath, `cannot follow $ref ${node.$ref}`);
      node = node.$ref
        .slice(2)
        .split("/")
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((at, key) => at?.[key], spec);
      if (node === undefined) fail(specPath, "a $ref points nowhere");
    }
    return node;
  };

  /** Every max-style constraint under `schema`, named by where it sits (`body[].mergeEntries`, `query.pageSize`). */
  const limitsIn = (schema, where, out, refs = new Set()) => {
    if (!schema || typeof schema !== "object") return out;
    if (typeof schema.$ref === "string") {
      if (refs.has(schema.$ref)) return out; // recursive schema: each place once
      return limitsIn(resolve(schema), where, out, new Set([...refs, schema.$ref]));
    }
    for (const [keyword, describe] of LIMIT_KEYWORDS) {
      if (typeof schema[keyword] === "number")
        out.push({ where, limit: describe(schema[keyword]), description: schema.description });
    }
    for (const key of ["allOf", "oneOf", "anyOf"])
      for (const branch of schema[key] ?? []) limitsIn(branch, where, out, refs);
    for (const [name, property] of Object.entries(schema.properties ?? {}))
      limitsIn(property, `${where}.${name}`, out, refs);
    if (schema.items) limitsIn(schema.items, `${where}[]`, out, refs);
    if (schema.additionalProperties && typeof schema.additionalProperties === "object")
      limitsIn(schema.additionalProperties, `${where}.*`, out, refs);
    return out;
  };

  const server = spec.servers?.[0]?.url ?? fail(specPath, "no servers[0].url");
  const basePath = new URL(server.replace(/\{site\}/g, "site.invalid")).pathname.replace(/\/+$/, "");
  const title = String(spec.info?.title ?? fail(specPath, "no info.title"))
    .replace(/^DealCloud\s+/, "")
    .replace(/\s*\(reconstructed\)\s*$/, "");

  const operations = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const shared = item.parameters ?? [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const need = (key) => op[key] ?? fail(specPath, `${name} has no ${key}`);
      const scopes = [
        ...new Set((op.security ?? spec.security ?? []).flatMap((requirement) => Object.values(requirement).flat())),
      ].sort();
      if (scopes.length === 0) fail(specPath, `${name} names no scope`);
      const confidence = need("x-dealcloud-confidence");
      if (!CONFIDENCE[confidence]) fail(specPath, `${name} has confidence ${confidence}, not H, M or L`);

      const limits = [];
      for (const parameter of [...shared, ...(op.parameters ?? [])].map(resolve)) {
        // A parameter's own description says more than its schema's (which usually has none).
        for (const limit of limitsIn(parameter.schema, `${parameter.in}.${parameter.name}`, [])) {
          limits.push({ ...limit, description: limit.description ?? parameter.description });
        }
      }
      const body = op.requestBody ? resolve(op.requestBody) : undefined;
      for (const media of Object.values(body?.content ?? {})) limitsIn(media.schema, "body", limits);
      // The same constraint reached through two media types or two oneOf branches counts once.
      const unique = [...new Map(limits.map((limit) => [`${limit.where} ${limit.limit}`, limit])).values()];

      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: need("operationId"),
        summary: need("summary"),
        description: op.description ?? "",
        scopes,
        catalogue: need("x-dealcloud-catalogue"),
        confidence,
        sources: need("x-dealcloud-source"),
        limits: unique,
        idempotent: need("x-dealcloud-idempotent"),
        idempotentWhy: op["x-dealcloud-idempotent-why"] ?? "",
        waitField: op["x-dealcloud-wait-field"],
      });
    }
  }
  if (operations.length === 0) fail(specPath, "no operations");
  const areaScopes = [...new Set(operations.flatMap((op) => op.scopes))].sort();
  const rateLimit = spec["x-dealcloud-rate-limit"];
  const descriptor = /export const (\w+): ApiDescriptor/.exec(
    readFileSync(join(root, "packages", dir, "src", "generated", "api.ts"), "utf8"),
  )?.[1];
  if (!descriptor) fail(specPath, "no ApiDescriptor export in src/generated/api.ts");

  const lines = [];
  const push = (...more) => lines.push(...more);
  push("---", `title: ${JSON.stringify(title)}`, "group: API areas", "---", "");
  push(`<!-- Generated by apps/docs/scripts/api-pages.mjs from ${specFile}. Do not edit: change the spec. -->`, "");
  push(`# ${title}`, "");
  if (spec.info.summary) push(`${spec.info.summary.trim()}`, "");
  push(
    "| | |",
    "| --- | --- |",
    `| package | ${code(pkg.name)} (descriptor ${code(descriptor)}: ${code(`createDealCloud({ apis: { ${descriptor} } })`)}) |`,
    `| base path | ${code(basePath)} (${code(`https://{site}${basePath}`)}) |`,
    `| version | ${code(spec.info.version)} |`,
    `| scope${areaScopes.length > 1 ? "s" : ""} | ${areaScopes.map(code).join(", ")} |`,
    `| operations | ${operations.length} |`,
    `| spec | ${code(specFile)} (also exported as ${code(`${pkg.name}/openapi.yaml`)}) |`,
    "",
  );
  if (spec.info.description) {
    push(
      "How the spec was reconstructed, and what is known to exist but is not modelled: [About this document](#about-this-document).",
      "",
    );
  }

  push("## Documented limits", "");
  const limitRows = [];
  if (rateLimit) {
    const per = rateLimit.perSeconds === 1 ? "second" : `${rateLimit.perSeconds} seconds`;
    limitRows.push(
      `| every operation | rate | ${rateLimit.requests} requests per ${per} | ${(rateLimit.source ?? []).map(code).join(", ")} (${code("x-dealcloud-rate-limit")}; the client paces its sends to it with a 10% margin) |`,
    );
  }
  for (const op of operations) {
    for (const limit of op.limits) {
      limitRows.push(
        `| ${code(op.operationId)} (${code(`${op.method} ${op.path}`)}) | ${code(limit.where)} | ${limit.limit} | ${cell(limit.description ?? "")} |`,
      );
    }
  }
  if (limitRows.length === 0) {
    push(
      `The spec declares no rate limit and no ${code("maxItems")}/${code("maximum")} on request bodies or parameters.`,
      "",
    );
  } else {
    push("| applies to | where | limit | as the spec says |", "| --- | --- | --- | --- |", ...limitRows, "");
  }
  push(
    "Limits that JSON Schema cannot express (date windows, URL length, retention) are in each operation's description below.",
    "",
  );

  push("## Operations", "");
  push(
    `Confidence: **High** = the vendor's documentation or a recorded response; **Medium** = older vendor documentation,`,
    `two independent clients or the vendor's SDK docs; **Low** = a single third-party client. Sources are keys of the`,
    `source catalogue (${code("docs/sources/dealcloud-api.md")}, §0.3); the catalogue id is its endpoint table's row.`,
    "",
  );
  push(
    "| method | path | operationId | summary | scope | catalogue | confidence | sources |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const op of operations) {
    push(
      `| ${op.method} | ${code(op.path)} | ${code(op.operationId)} | ${cell(op.summary)} | ${op.scopes.map(code).join(", ")} | ${cell(op.catalogue)} | ${CONFIDENCE[op.confidence]} | ${op.sources.map((source) => cell(source)).join(", ")} |`,
    );
  }
  push("");

  push("## Operation details", "");
  for (const op of operations) {
    push(`### ${op.operationId}`, "");
    push(
      `${code(`${op.method} ${basePath}${op.path}`)} · scope ${op.scopes.map(code).join(", ")} · catalogue ${cell(op.catalogue)} · confidence ${CONFIDENCE[op.confidence]}`,
      "",
    );
    push(`${op.summary.trim()}.`.replace(/\.\.$/, "."), "");
    if (op.description.trim()) push(op.description.trim(), "");
    const retried = op.idempotent
      ? `**Idempotent** (${code("x-dealcloud-idempotent: true")}): the client retries it after a failure without an answer or a retryable status.`
      : `**Not idempotent** (${code("x-dealcloud-idempotent: false")}): the client does not retry it once it may have reached the server.`;
    push(`${retried} ${op.idempotentWhy}`.trim(), "");
    if (op.waitField) {
      push(
        `The server may hold the call open for the body's ${code(op.waitField)} ms; the client's time limit for the attempt is that plus a margin (${code("x-dealcloud-wait-field")}).`,
        "",
      );
    }
  }

  if (spec.info.description) push("## About this document", "", spec.info.description.trim(), "");
  return {
    name: dir,
    title,
    text: `${lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd()}\n`,
  };
}

const dirs = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "openapi.yaml")))
  .sort();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const dir of dirs) {
  const page = pageFor(dir);
  writeFileSync(join(outDir, `${page.name}.md`), page.text);
  console.log(`api-pages: ${relative(docsApp, join(outDir, `${page.name}.md`))} (${page.title})`);
}
