/**
 * `@dealcloud-ts/mock`: an in-memory DealCloud site for tests, demos and benchmarks. This entry uses web-standard
 * APIs only (no `node:` modules, `process` or `Buffer`), so it runs in browsers, Deno, Bun and workerd. The msw
 * handlers are in `@dealcloud-ts/mock/msw`, the Node loopback server in `@dealcloud-ts/mock/server`.
 *
 * @packageDocumentation
 * @module \@dealcloud-ts/mock
 */
export { createMockDealCloud } from "./site.js";
export { MOCK_SCOPES } from "./scopes.js";
export { DEFAULT_MOCK_CLIENT } from "./options.js";
export type {
  AuthenticateResult,
  IssuedToken,
  MockClient,
  MockDealCloud,
  MockDealCloudOptions,
  MockFault,
  MockPublicationsOptions,
  MockOperation,
  MockRoute,
  MockSeed,
  TokenRequestRecord,
} from "./types.js";
