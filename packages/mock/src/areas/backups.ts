import { createApiArea, type ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";

/** Placeholder: the Backups API area, not written yet. */
export function createBackupsArea(context: SiteContext): ApiArea {
  return createApiArea({ route: "backups", basePath: "/api/rest/v4/backups", scope: "backup", routes: [] }, context);
}
