import { build, analyzeMetafile } from "esbuild";
import { gzipSync } from "node:zlib";
const [dir, code] = process.argv.slice(2);
const out = await build({ stdin: { contents: code, resolveDir: dir, loader: "js" }, bundle: true, minify: true, format: "esm", write: false, platform: "neutral", mainFields: ["module", "main"], metafile: true });
console.log(await analyzeMetafile(out.metafile));
console.log("gzip", gzipSync(out.outputFiles[0].contents, {level:9}).length);
if (process.env.DUMP) (await import("node:fs")).writeFileSync(process.env.DUMP, out.outputFiles[0].contents);
