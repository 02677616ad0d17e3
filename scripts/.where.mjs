import { build } from "esbuild";
const out = await build({ stdin: { contents: 'import { createDataClient } from "./dist/index.js"; globalThis.used = createDataClient;', resolveDir: "packages/data", loader: "js" }, bundle: true, minify: true, format: "esm", write: false, platform: "neutral", mainFields: ["module", "main"], metafile: true });
const o = Object.values(out.metafile.outputs)[0];
for (const [k, v] of Object.entries(o.inputs).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput)) console.log(v.bytesInOutput, k.replace(/.*node_modules\//,""));
