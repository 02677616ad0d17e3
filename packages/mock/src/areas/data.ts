import { createApiArea, type ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";

/** Placeholder: the Data API area, not written yet. */
export function createDataArea(context: SiteContext): ApiArea {
  return createApiArea({ route: "data", basePath: "/api/rest/v4/data", scope: "data", routes: [] }, context);
}
