// Copied into the packed fixture as guard.mjs and preloaded there (`node --import ./guard.mjs`) by the packed
// runtimes: fails any import that resolves to a file outside the fixture, so a package that forgot a dependency
// cannot quietly pick it up from the workspace's node_modules above (Node's lookup walks up past the fixture).
import { realpathSync } from "node:fs";
import { registerHooks } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const fixture = pathToFileURL(`${realpathSync(import.meta.dirname)}/`).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    if (result.url.startsWith("file:")) {
      const real = pathToFileURL(realpathSync(fileURLToPath(result.url))).href;
      if (!real.startsWith(fixture)) {
        throw new Error(
          `packed fixture: "${specifier}" (from ${context.parentURL ?? "the command line"}) resolved outside the fixture, to ${real}`,
        );
      }
    }
    return result;
  },
});
