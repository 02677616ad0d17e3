// Copied into the packed fixture as publint.mjs and run there by scripts/packed-checks.mjs: publint on each tarball
// given on the command line, as published (the tarball's own file list). Prints one JSON line:
// [{ tarball, name, messages: [{ type, code, text }] }].
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const results = [];
for (const tarball of process.argv.slice(2)) {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: "suggestion",
  });
  results.push({
    tarball: basename(tarball),
    name: pkg.name,
    messages: messages.map((message) => ({
      type: message.type,
      code: message.code,
      text: formatMessage(message, pkg, { color: false }) ?? message.code,
    })),
  });
}
console.log(JSON.stringify(results));
