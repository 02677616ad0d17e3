import { createApiArea, type ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";

/** Placeholder: the Schema API area, not written yet. */
export function createSchemaArea(context: SiteContext): ApiArea {
  return createApiArea({ route: "schema", basePath: "/api/rest/v4/schema", scope: "data", routes: [] }, context);
}
