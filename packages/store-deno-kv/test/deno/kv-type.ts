/// <reference lib="deno.ns" />
// Type-checked by `deno check` (test/deno-kv.test.ts) against Deno's own declarations: fails if DenoKvLike, the
// structural type the package declares so it builds under Node's tsc, stops accepting a real `Deno.Kv`.
import type { DenoKvLike } from "../../src/deno-kv.ts";

export const accepts = (kv: Deno.Kv): DenoKvLike => kv;
