// Prints the TypeScript that openapi-typescript makes of one document, for spec authors to eyeball.
import openapiTS, { astToString } from "openapi-typescript";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const file = process.argv[2];
if (!file) throw new Error("usage: node src/preview-types.ts <openapi.yaml>");
console.log(
  astToString(await openapiTS(pathToFileURL(resolve(file)), { rootTypes: true, rootTypesNoSchemaPrefix: true })),
);
