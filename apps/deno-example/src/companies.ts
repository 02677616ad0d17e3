// The job: find companies by name through the combined client. Kept apart from main.ts so tests can call it.
import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";

/** Where the site is and who we are; the secret comes from the environment, never from code. */
export interface Site {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A company as this script prints it. */
export interface Company {
  id: number;
  name: string;
  city?: string;
}

/** Connects once; the client keeps its token cached across calls. */
export function connect(site: Site) {
  return createDealCloud({ ...site, apis: { data }, throwOnError: true });
}

/** Companies whose name contains `text` (DealCloud's `$contains` filter, case-insensitive). */
export async function findCompanies(dc: ReturnType<typeof connect>, text: string): Promise<Company[]> {
  const { data: page } = await dc.data.GET("/entrydata/rows/{entryTypeId}", {
    params: {
      path: { entryTypeId: "company" },
      query: {
        query: JSON.stringify({ CompanyName: { $contains: text } }),
        fields: ["CompanyName", "City"],
        limit: 100,
      },
    },
  });
  return page.rows.map((row) => ({
    id: row.EntryId,
    name: (row["CompanyName"] as { name: string }).name,
    ...(typeof row["City"] === "string" ? { city: row["City"] } : {}),
  }));
}
