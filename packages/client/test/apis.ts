// Small API descriptors for the tests, shaped like the generated ones (the real packages depend on this one, so
// they cannot be imported here). Scopes are the vendor's for each area.
import type { ApiDescriptor } from "../src/index.js";

type Op<Response> = {
  parameters: { query?: { pageSize?: number }; header?: never; path?: never; cookie?: never };
  requestBody?: { content: { "application/json": unknown } };
  responses: {
    200: { headers: Record<string, unknown>; content: { "application/json": Response } };
    403: { headers: Record<string, unknown>; content: { "application/json": { message: string } } };
  };
};
type Path<Methods> = { parameters: { query?: never; header?: never; path?: never; cookie?: never } } & Methods;

export interface DataPaths {
  "/things": Path<{ get: Op<{ ok: boolean }>; post: Op<{ ok: boolean }> }>;
}
export interface UsersPaths {
  "/user": Path<{ get: Op<{ id: number }[]> }>;
}
export interface PublishPaths {
  "/poll": Path<{ post: Op<unknown[]> }>;
}
export interface SchemaPaths {
  "/entrytypes": Path<{ get: Op<{ id: number }[]> }>;
}

export const BASE_URL = "https://acme.dealcloud.com";

export const dataApi: ApiDescriptor<DataPaths> = {
  name: "data",
  packageName: "@dealcloud-ts/data",
  basePath: "/api/rest/v4/data",
  scopes: ["data"],
};
export const usersApi: ApiDescriptor<UsersPaths> = {
  name: "userManagement",
  packageName: "@dealcloud-ts/user-management",
  basePath: "/api/rest/v1/management",
  scopes: ["user_management"],
};
export const publishApi: ApiDescriptor<PublishPaths> = {
  name: "publications",
  packageName: "@dealcloud-ts/publications",
  basePath: "/api/rest/v1/publication",
  scopes: ["publish"],
};
export const schemaApi: ApiDescriptor<SchemaPaths> = {
  name: "schema",
  packageName: "@dealcloud-ts/schema",
  basePath: "/api/rest/v4/schema",
  scopes: ["data"],
  rateLimit: { requests: 5, perMs: 1000 },
};
