import { createApiArea, type ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";

/** Placeholder: the Publications API area, not written yet. */
export function createPublicationsArea(context: SiteContext): ApiArea {
  return createApiArea({ route: "publications", basePath: "/api/rest/v1/publication", scope: "publish", routes: [] }, context);
}
