// `dealcloud typegen --out FILE`: the site's row types (`generateSiteTypes`), written atomically.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { generateSiteTypes } from "@dealcloud-ts/site";
import type { Connection } from "../connect.js";
import { type CliIo, note } from "../io.js";
import { writeFileAtomic } from "../sink.js";

/** The flags of `typegen`. */
export interface TypegenFlags {
  readonly out: string;
  readonly quiet: boolean;
  readonly json: boolean;
}

export async function runTypegen(io: CliIo, connection: Connection, flags: TypegenFlags): Promise<void> {
  const model = await connection.site.model({ signal: io.signal });
  const source = generateSiteTypes(model, { header: `Read from ${connection.tokens.baseUrl}` });
  if (flags.out === "-") {
    io.stdout.write(source);
    return;
  }
  mkdirSync(dirname(flags.out), { recursive: true });
  await writeFileAtomic(flags.out, source);
  if (flags.json)
    io.stdout.write(`${JSON.stringify({ out: flags.out, entryTypes: model.entryTypes.map((t) => t.apiName) })}\n`);
  else if (!flags.quiet) note(io, `Wrote the row types of ${model.entryTypes.length} entry types to ${flags.out}`);
}
