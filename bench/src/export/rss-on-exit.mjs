// Preloaded (`node --import`) into a process whose peak RSS the benchmark wants, such as the `dealcloud` bin: on
// exit, writes `process.resourceUsage().maxRSS` (KiB) to the file named by BENCH_RSS_FILE. Changes nothing else.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
