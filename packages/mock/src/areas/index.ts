import type { ApiArea } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { createBackupsArea } from "./backups.js";
import { createDataArea } from "./data.js";
import { createPublicationsArea } from "./publications.js";
import { createRiImportArea } from "./ri-import.js";
import { createSchemaArea } from "./schema.js";
import { createUserManagementArea } from "./user-management.js";

/** Every API area of the site, each built over the shared site context. */
export const API_AREAS: readonly ((context: SiteContext) => ApiArea)[] = [
  createDataArea,
  createSchemaArea,
  createUserManagementArea,
  createPublicationsArea,
  createRiImportArea,
  createBackupsArea,
];
