/**
 * The mock site's user groups, with every key of the vendor's group sample (catalogue §5.2, DOC-mgmt-group).
 * Ids 1 and 2 are the groups the seeded users belong to (`SITE_USERS` in `state/site-data.ts`); the names and
 * flag values are the mock's own, except that the group named "API" has `accessWebService: true` as in the
 * vendor's sample. Members (`users`) are not stored here: they are read from the users' `groups`.
 */

/** The capability flags of a group, in the order of the vendor's sample. */
export const CAPABILITIES = [
  "createEntries",
  "wordAddIn",
  "excelAddIn",
  "outlookAddInChromeExt",
  "contactSync",
  "eventSync",
  "userManagement",
  "manageUsers",
  "manageUserGroups",
  "listManagement",
  "siteSettings",
  "entryGroups",
  "templateReportManagement",
  "emailTemplates",
  "notificationsManagement",
  "workflowManagement",
  "myViews",
  "publicViewManagement",
  "mailChimp",
  "revertDataChanges",
  "recurringTaskManagement",
  "dashboardConfiguration",
  "mobileApp",
  "mergeEntries",
  "requiredFieldsException",
  "manageProxyAssignments",
  "accessWebService",
  "accessProviderData",
  "displayPreferences",
  "matchingPreferences",
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** A group as the site defines it. */
export interface UserGroupDefinition {
  readonly id: number;
  readonly name: string;
  /** Data-access levels ("All" / "None" are the values the vendor shows). */
  readonly readData: string;
  readonly exportData: string;
  readonly writeData: string;
  readonly deleteData: string;
  readonly screeningPortal: string;
  readonly linkManagement: string;
  /** The capabilities the group has; every other flag is false. */
  readonly capabilities: readonly Capability[];
  readonly allEntryListsAllowed: boolean;
}

export const SITE_USER_GROUPS: readonly UserGroupDefinition[] = [
  {
    id: 1,
    name: "Administrators",
    readData: "All",
    exportData: "All",
    writeData: "All",
    deleteData: "All",
    screeningPortal: "None",
    linkManagement: "None",
    capabilities: CAPABILITIES.filter(
      (flag) => flag !== "accessWebService" && flag !== "accessProviderData" && flag !== "mailChimp",
    ),
    allEntryListsAllowed: true,
  },
  {
    id: 2,
    name: "API",
    readData: "All",
    exportData: "All",
    writeData: "All",
    deleteData: "None",
    screeningPortal: "None",
    linkManagement: "None",
    capabilities: ["createEntries", "accessWebService", "myViews"],
    allEntryListsAllowed: true,
  },
  {
    id: 3,
    name: "Read Only",
    readData: "All",
    exportData: "None",
    writeData: "None",
    deleteData: "None",
    screeningPortal: "None",
    linkManagement: "None",
    capabilities: ["myViews", "mobileApp"],
    allEntryListsAllowed: false,
  },
];

/** A group as `GET /user/group/{groupId}` answers it, with its members' ids. */
export function renderUserGroup(group: UserGroupDefinition, members: readonly number[]): Record<string, unknown> {
  const flags = Object.fromEntries(CAPABILITIES.map((flag) => [flag, group.capabilities.includes(flag)]));
  return {
    id: group.id,
    name: group.name,
    readData: group.readData,
    exportData: group.exportData,
    writeData: group.writeData,
    deleteData: group.deleteData,
    screeningPortal: group.screeningPortal,
    linkManagement: group.linkManagement,
    ...flags,
    entryLevelCapabilities: { read: { allEntryListsAllowed: group.allEntryListsAllowed } },
    users: [...members],
  };
}
