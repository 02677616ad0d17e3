// The suite's entry for a browser page (bundled by scripts/chromium-bundle.mjs). The page holds no secret: it
// gets tokens with the token-provider pattern from the backend that served it (same origin), which asks the mock
// DealCloud with the client secret server-side. The mock lives on another origin, so every SDK call is a real
// CORS request. The mock's address comes from the page's query string (`?mock=http://127.0.0.1:1234`).
// Lines are reported with console.log; `window.__conformance = { passed, failed }` says the run is over.
import { conformanceSuite } from "../src/suite.js";

const out = document.getElementById("out");
const log = (line) => {
  console.log(line);
  if (out) out.textContent += `${line}\n`;
};

const backendUrl = location.origin;

/** @type {import("@dealcloud-ts/auth").TokenProvider} */
const tokenProvider = async ({ scopes, signal }) =>
  fetch(`${backendUrl}/token?scope=${encodeURIComponent(scopes.join(" "))}`, { signal });

try {
  const baseUrl = new URL(location.href).searchParams.get("mock");
  if (!baseUrl) throw new Error("Open the page with ?mock=<the mock site's address>.");
  const { passed, failed } = await conformanceSuite({ baseUrl, tokenProvider, log }).run();
  window.__conformance = { passed, failed };
} catch (error) {
  log(`could not run the suite: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  log("0 passed, 1 failed");
  window.__conformance = { passed: 0, failed: 1 };
}
