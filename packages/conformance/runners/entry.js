// The suite's entry for runtimes that run a script file: Node, Deno and Bun. The mock's address comes from the
// environment; the exit status says whether everything passed.
import { conformanceSuite } from "../src/suite.js";

const env = globalThis.Deno ? globalThis.Deno.env.toObject() : (globalThis.process?.env ?? {});
const baseUrl = env.DEALCLOUD_MOCK_URL;
if (!baseUrl) throw new Error("Set DEALCLOUD_MOCK_URL to the mock site's address.");
const { failed } = await conformanceSuite({ baseUrl }).run();
if (globalThis.Deno) globalThis.Deno.exit(failed === 0 ? 0 : 1);
else globalThis.process.exitCode = failed === 0 ? 0 : 1;
