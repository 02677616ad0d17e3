import { createApiArea, type ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";

/** Placeholder: the UserManagement API area, not written yet. */
export function createUserManagementArea(context: SiteContext): ApiArea {
  return createApiArea({ route: "user-management", basePath: "/api/rest/v1/management", scope: "user_management", routes: [] }, context);
}
