/**
 * The default content of a mock site: four objects with the common field types, choice values, users and
 * proxy assignments. Ids the vendor shows are reused (Company 2011, Interaction 2013, user 8278, choice value
 * 3197780 "Limited Partner"); every other id, name and value is the mock's own sample data.
 */

/**
 * The field type codes the mock simulates (catalogue §4.2: 1 Text, 2 Choice, 3 Number, 4 Date, 5 Reference,
 * 7 User). Yes/No (6) is left out: no source shows its wire value, and the specs allow none for it in Cells.
 */
export const FieldType = { Text: 1, Choice: 2, Number: 3, Date: 4, Reference: 5, User: 7 } as const;
export type FieldTypeCode = (typeof FieldType)[keyof typeof FieldType];

/** An object (entry type) as the site defines it. */
export interface EntryTypeDefinition {
  readonly id: number;
  readonly apiName: string;
  readonly singularName: string;
  readonly pluralName: string;
  /** Catalogue §4.2 / WPF enum (L): 3 Person, 4 Activity, 12 Companies, 1 Entity. */
  readonly entryListType: number;
  /** The field whose value is the entry's name (rows return it as a reference to the entry itself). */
  readonly nameField: string;
  readonly fields: readonly FieldDefinition[];
}

/** A field as the site defines it; `id`s are assigned in order. */
export interface FieldDefinition {
  readonly apiName: string;
  readonly name: string;
  readonly fieldType: FieldTypeCode;
  readonly isMultiSelect?: boolean;
  readonly isMoney?: boolean;
  readonly isRequired?: boolean;
  /** Reference fields: the apiNames of the objects they point to. */
  readonly references?: readonly string[];
  /** Choice fields: the values, in order. */
  readonly choices?: readonly string[];
}

export const SITE_ENTRY_TYPES: readonly EntryTypeDefinition[] = [
  {
    id: 2011,
    apiName: "company",
    singularName: "Company",
    pluralName: "Companies",
    entryListType: 12,
    nameField: "CompanyName",
    fields: [
      { apiName: "CompanyName", name: "Company Name", fieldType: FieldType.Text, isRequired: true },
      {
        apiName: "CompanyType",
        name: "Company Type",
        fieldType: FieldType.Choice,
        choices: ["Limited Partner", "Portfolio Company", "Investment Bank", "Law Firm", "Lender"],
      },
      {
        apiName: "Industries",
        name: "Industries",
        fieldType: FieldType.Choice,
        isMultiSelect: true,
        choices: ["Technology", "Healthcare", "Industrials", "Consumer", "Financial Services"],
      },
      { apiName: "Website", name: "Website", fieldType: FieldType.Text },
      { apiName: "City", name: "City", fieldType: FieldType.Text },
      { apiName: "Revenue", name: "Revenue", fieldType: FieldType.Number, isMoney: true },
      { apiName: "Employees", name: "Employees", fieldType: FieldType.Number },
      { apiName: "FoundedDate", name: "Founded Date", fieldType: FieldType.Date },
      { apiName: "ParentCompany", name: "Parent Company", fieldType: FieldType.Reference, references: ["company"] },
      { apiName: "CoveragePerson", name: "Coverage Person", fieldType: FieldType.User },
    ],
  },
  {
    id: 2012,
    apiName: "contact",
    singularName: "Contact",
    pluralName: "Contacts",
    entryListType: 3,
    nameField: "FullName",
    fields: [
      { apiName: "FullName", name: "Full Name", fieldType: FieldType.Text, isRequired: true },
      { apiName: "FirstName", name: "First Name", fieldType: FieldType.Text },
      { apiName: "LastName", name: "Last Name", fieldType: FieldType.Text },
      { apiName: "Email", name: "Email", fieldType: FieldType.Text },
      { apiName: "Title", name: "Title", fieldType: FieldType.Text },
      { apiName: "Company", name: "Company", fieldType: FieldType.Reference, references: ["company"] },
    ],
  },
  {
    id: 2013,
    apiName: "interaction",
    singularName: "Interaction",
    pluralName: "Interactions",
    entryListType: 4,
    nameField: "Subject",
    fields: [
      { apiName: "Subject", name: "Subject", fieldType: FieldType.Text, isRequired: true },
      { apiName: "Type", name: "Type", fieldType: FieldType.Choice, choices: ["Meeting", "Call", "Email", "Note"] },
      { apiName: "Date", name: "Date", fieldType: FieldType.Date },
      {
        apiName: "Contacts",
        name: "Contacts",
        fieldType: FieldType.Reference,
        isMultiSelect: true,
        references: ["contact"],
      },
      {
        apiName: "Companies",
        name: "Companies",
        fieldType: FieldType.Reference,
        isMultiSelect: true,
        references: ["company"],
      },
      { apiName: "EnteredBy", name: "Entered By", fieldType: FieldType.User },
    ],
  },
  {
    id: 2014,
    apiName: "deal",
    singularName: "Deal",
    pluralName: "Deals",
    entryListType: 1,
    nameField: "DealName",
    fields: [
      { apiName: "DealName", name: "Deal Name", fieldType: FieldType.Text, isRequired: true },
      { apiName: "Company", name: "Company", fieldType: FieldType.Reference, references: ["company"] },
      {
        apiName: "Stage",
        name: "Stage",
        fieldType: FieldType.Choice,
        choices: ["Sourcing", "Diligence", "IC Approval", "Closed", "Passed"],
      },
      { apiName: "Valuation", name: "Valuation", fieldType: FieldType.Number, isMoney: true },
      { apiName: "CloseDate", name: "Close Date", fieldType: FieldType.Date },
      { apiName: "DealTeam", name: "Deal Team", fieldType: FieldType.User, isMultiSelect: true },
    ],
  },
];

/** A user of the site, with the keys of the User Management API's User (catalogue §5.2). */
export interface SiteUserDefinition {
  readonly id: number;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly isActive: boolean;
  /** A Windows time zone name, as DealCloud stores it (catalogue §5.2). */
  readonly userTimeZoneId: string;
  readonly groups: readonly number[];
}

/** User 106 is the default mock client (the token docs' sample `client_id`); 8278 appears in the vendor's rows sample. */
export const SITE_USERS: readonly SiteUserDefinition[] = [
  {
    id: 106,
    email: "api.user@mock.dealcloud.test",
    firstName: "API",
    lastName: "User",
    isActive: true,
    userTimeZoneId: "Eastern Standard Time",
    groups: [1, 2],
  },
  {
    id: 8278,
    email: "firstname.lastname@mock.dealcloud.test",
    firstName: "FirstName",
    lastName: "LastName",
    isActive: true,
    userTimeZoneId: "GMT Standard Time",
    groups: [2],
  },
  {
    id: 8301,
    email: "dana.analyst@mock.dealcloud.test",
    firstName: "Dana",
    lastName: "Analyst",
    isActive: true,
    userTimeZoneId: "Pacific Standard Time",
    groups: [2],
  },
  {
    id: 8302,
    email: "former.employee@mock.dealcloud.test",
    firstName: "Former",
    lastName: "Employee",
    isActive: false,
    userTimeZoneId: "Eastern Standard Time",
    groups: [],
  },
];

/** Proxy assignments: the proxy user (key) may act `As-User` for these principals. */
export const SITE_PROXIES: Readonly<Record<number, readonly number[]>> = { 106: [8278, 8301] };

/** Windows time zone names of the seeded users, mapped to IANA names for `dateTimeBehavior=1`. */
export const TIME_ZONES: Readonly<Record<string, string>> = {
  "Eastern Standard Time": "America/New_York",
  "Central Standard Time": "America/Chicago",
  "Pacific Standard Time": "America/Los_Angeles",
  "GMT Standard Time": "Europe/London",
  "W. Europe Standard Time": "Europe/Berlin",
  "Arabian Standard Time": "Asia/Dubai",
  UTC: "UTC",
};

/** Currencies enabled on the mock site (the vendor SDKs print plain codes such as `USD`, `GBP`). */
export const SITE_CURRENCIES: readonly string[] = ["USD", "GBP", "EUR"];

/** A few entries every default site starts with, so reads work before any write (values by apiName; references by name). */
export const SITE_SAMPLE_ENTRIES: readonly { type: string; values: Record<string, unknown> }[] = [
  {
    type: "company",
    values: {
      CompanyName: "Intapp",
      CompanyType: "Portfolio Company",
      Industries: ["Technology"],
      City: "Palo Alto",
      Website: "https://www.intapp.com",
    },
  },
  {
    type: "company",
    values: {
      CompanyName: "Northwind Capital",
      CompanyType: "Limited Partner",
      Industries: ["Financial Services"],
      City: "New York",
      Revenue: 125000000,
      CoveragePerson: 8278,
    },
  },
  {
    type: "company",
    values: {
      CompanyName: "Contoso Health",
      CompanyType: "Portfolio Company",
      Industries: ["Healthcare", "Technology"],
      City: "Boston",
      Revenue: 48000000,
      FoundedDate: "2009-05-01T00:00:00Z",
    },
  },
  {
    type: "contact",
    values: {
      FullName: "Joe Smith",
      FirstName: "Joe",
      LastName: "Smith",
      Email: "joe.smith@northwind.test",
      Title: "Partner",
      Company: "Northwind Capital",
    },
  },
  {
    type: "interaction",
    values: {
      Subject: "Test Interactions",
      Type: "Meeting",
      Date: "2020-12-30T05:00:00Z",
      Contacts: ["Joe Smith"],
      Companies: ["Northwind Capital"],
      EnteredBy: 8278,
    },
  },
  {
    type: "deal",
    values: {
      DealName: "Project Falcon",
      Company: "Contoso Health",
      Stage: "Diligence",
      Valuation: 750,
      DealTeam: [8278, 8301],
    },
  },
];
