// deno run --allow-net --allow-env src/main.ts <name>
// Reads DEALCLOUD_URL, DEALCLOUD_CLIENT_ID and DEALCLOUD_CLIENT_SECRET from the environment.
import { connect, findCompanies } from "./companies.ts";

const [baseUrl, clientId, clientSecret] = ["DEALCLOUD_URL", "DEALCLOUD_CLIENT_ID", "DEALCLOUD_CLIENT_SECRET"].map(
  (name) => Deno.env.get(name),
);
if (!baseUrl || !clientId || !clientSecret) {
  console.error("Set DEALCLOUD_URL, DEALCLOUD_CLIENT_ID and DEALCLOUD_CLIENT_SECRET.");
  Deno.exit(2);
}
const companies = await findCompanies(connect({ baseUrl, clientId, clientSecret }), Deno.args[0] ?? "");
console.log(JSON.stringify(companies, null, 2));
