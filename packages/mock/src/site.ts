import type { ApiArea } from "./api-area.js";
import type { Area, SiteContext } from "./area.js";
import { API_AREAS } from "./areas/index.js";
import { answersInstead, createFaultQueue, faultResponse, sleep } from "./faults.js";
import { json, preflight, withCors } from "./http.js";

/** Where the opt-in control API lives. */
const CONTROL_PREFIX = "/__mock/";
import { resolveOptions } from "./options.js";
import { createTokenArea } from "./token-endpoint.js";
import { createTokenStore } from "./token-store.js";
import { createEntryStore } from "./state/entries.js";
import { createSiteSchema } from "./state/schema.js";
import { createUserStore } from "./state/users.js";
import { seedRows, seedSampleEntries } from "./state/seed.js";
import { renderRow } from "./state/values.js";
import type { MockDealCloud, MockDealCloudOptions, MockFault } from "./types.js";

/**
 * Creates an in-memory DealCloud site. Its `handle` is a web-standard `(Request) => Promise<Response>`, so the
 * same state can sit behind msw (`@dealcloud-ts/mock/msw`), a loopback server (`@dealcloud-ts/mock/server`) or
 * be called directly. Uses web-standard APIs only, so it runs in browsers, Deno, Bun and workerd too.
 *
 * @example
 * ```ts
 * import { createMockDealCloud } from "@dealcloud-ts/mock";
 *
 * const mock = createMockDealCloud({ tokenRequestsPerMinute: 60 });
 * const response = await mock.handle(new Request("https://mock.dealcloud.test/api/rest/v1/oauth/token", {
 *   method: "POST",
 *   body: new URLSearchParams({ grant_type: "client_credentials", client_id: "106", client_secret: "1356GYNU", scope: "data" }),
 * }));
 * console.log(response.status, mock.tokenCallsByScope()); // 200 { data: 1 }
 * ```
 */
export function createMockDealCloud(options: MockDealCloudOptions = {}): MockDealCloud {
  const settings = resolveOptions(options);
  const tokens = createTokenStore(settings);
  const faults = createFaultQueue();
  const context: SiteContext = {
    settings,
    tokens,
    schema: createSiteSchema(),
    entries: createEntryStore(),
    users: createUserStore(),
  };
  const token = createTokenArea(context);
  const apis: readonly ApiArea[] = API_AREAS.map((create) => create(context));
  const seed = { sampleEntries: true, random: 1, ...options.seed };
  function plant() {
    const at = settings.now();
    if (seed.sampleEntries) seedSampleEntries(context, at);
    for (const [apiName, count] of Object.entries(seed.rows ?? {})) {
      seedRows(context, knownType(apiName), count, seed.random, at);
    }
  }
  function knownType(idOrApiName: string | number) {
    const type = context.schema.findEntryType(idOrApiName);
    if (!type)
      throw new RangeError(
        `The mock site has no object ${JSON.stringify(idOrApiName)}; it has ${context.schema.entryTypes.map((t) => t.apiName).join(", ")}.`,
      );
    return type;
  }
  plant();
  const areas: readonly Area[] = [token, ...apis];

  async function answer(area: Area, request: Request): Promise<Response> {
    // Faults apply before normal processing; one with only `delayMs` delays the normal answer.
    const fault = faults.take(area.route, area.operation?.(request));
    if (!fault) return area.handle(request);
    if (fault.endSession) area.endSession?.(request);
    if (fault.handleFirst) {
      // The route acts on the request; its answer is then held back, and the fault's sent instead.
      const handled = await area.handle(request.clone());
      await sleep(fault.delayMs ?? 0);
      if (!answersInstead(fault)) return handled;
    } else {
      await sleep(fault.delayMs ?? 0);
      if (!answersInstead(fault)) return area.handle(request);
    }
    const response = faultResponse(fault);
    await area.recordFault(request, response.status);
    return response;
  }

  /** The opt-in control API (see `MockDealCloudOptions.controlApi`). */
  async function control(request: Request, action: string): Promise<Response> {
    try {
      if (request.method === "GET" && action === "token-requests") return json(200, token.records);
      if (request.method === "POST" && action === "faults") {
        faults.add((await request.json()) as MockFault);
        return json(200, { ok: true });
      }
      if (request.method === "POST" && action === "revoke-tokens") return json(200, { revoked: tokens.revokeAll() });
      if (request.method === "POST" && action === "reset") {
        site.reset();
        return json(200, { ok: true });
      }
    } catch (error) {
      return json(400, { message: `Control request refused: ${(error as Error).message}` });
    }
    return json(404, { message: `The control API has no ${request.method} ${CONTROL_PREFIX}${action}.` });
  }

  const site: MockDealCloud = {
    async handle(request) {
      // Browser preflights are answered for every path and never consume a fault.
      if (request.method === "OPTIONS") return withCors(preflight());
      const { pathname } = new URL(request.url);
      if (options.controlApi && pathname.startsWith(CONTROL_PREFIX))
        return withCors(await control(request, pathname.slice(CONTROL_PREFIX.length)));
      const area = areas.find((candidate) => candidate.matches(pathname));
      if (!area)
        return withCors(json(404, { message: `The mock DealCloud site has no route ${request.method} ${pathname}.` }));
      return withCors(await answer(area, request));
    },
    get tokenRequests() {
      return token.records;
    },
    tokenCallsByScope() {
      const counts: Record<string, number> = {};
      for (const { scope } of token.records) counts[scope] = (counts[scope] ?? 0) + 1;
      return counts;
    },
    issuedTokens: tokens.issued,
    revokeTokens: () => tokens.revokeAll(),
    seedRows(entryType, count, { random = seed.random } = {}) {
      return seedRows(context, knownType(entryType), count, random, settings.now());
    },
    rows(entryType) {
      const type = knownType(entryType);
      return context.entries
        .list(type)
        .map((entry) => renderRow(context, entry, type.fields, { wrapIntoArrays: true }));
    },
    operations: apis.flatMap((api) =>
      api.operations.map((operation) => ({ route: api.route, basePath: api.basePath, operation })),
    ),
    authenticate: (authorization) => tokens.authenticate(authorization),
    faults: { add: (fault) => faults.add(fault), clear: () => faults.clear() },
    reset() {
      context.schema.reset();
      context.entries.reset();
      context.users.reset();
      for (const area of areas) area.reset();
      tokens.reset();
      faults.clear();
      plant();
    },
  };
  return site;
}
