import { createApiArea, type ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";

/** Placeholder: the RiImport API area, not written yet. */
export function createRiImportArea(context: SiteContext): ApiArea {
  return createApiArea({ route: "ri-import", basePath: "/api/rest/v4/ri/import", scope: "ri_import", routes: [] }, context);
}
