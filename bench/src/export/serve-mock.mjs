// Child process of the export benchmark: the mock site on loopback, seeded with `argv[2]` companies. Prints
// `{ "url": … }` once it listens, then serves until it is killed.
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";

const companies = Number(process.argv[2]);
const server = await serveMockDealCloud({ seed: { sampleEntries: false, rows: { company: companies } } });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
