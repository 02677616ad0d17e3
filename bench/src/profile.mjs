// 7. One CPU profile (node:inspector) of our per-request benchmark, to name where our request path spends time.
import { Session } from "node:inspector/promises";
import { warmOurs } from "./per-request.mjs";
import { fmt, table } from "./report.mjs";

const N = 20_000;

function where(url, line) {
  const match = /\/(packages\/[^/]+|node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(
    url,
  );
  const file = match
    ? `${match[1].replace(/^node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "")}/${match[2]}`
    : url || "(native)";
  return `${file}:${line + 1}`;
}

export async function profileOurs() {
  const one = await warmOurs();
  for (let i = 0; i < 2000; i++) await one(); // warm-up, outside the profile
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  for (let i = 0; i < N; i++) await one();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();

  const totalUs = profile.endTime - profile.startTime;
  const samples = profile.samples.length;
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (["(idle)", "(program)", "(garbage collector)", "(root)"].includes(functionName)) continue;
    const key = `${functionName || "(anonymous)"} ${where(url, lineNumber)}`;
    const entry = byFunction.get(key) ?? {
      function: functionName || "(anonymous)",
      location: where(url, lineNumber),
      ours: url.includes("/packages/"),
      hits: 0,
    };
    entry.hits += node.hitCount;
    byFunction.set(key, entry);
  }
  const ranked = [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .map((e) => ({ ...e, selfPercent: (100 * e.hits) / samples, selfUs: (e.hits * totalUs) / samples }));
  const top = ranked.slice(0, 5);
  const topOurs = ranked.filter((e) => e.ours).slice(0, 5);
  const row = (e, i) => ({
    "#": i + 1,
    function: `\`${e.function}\``,
    location: `\`${e.location}\``,
    "self time": `${fmt(e.selfPercent, 1)} %`,
  });
  table("Profile of our request path: top 5 self-time functions overall", top.map(row), [
    `\`node:inspector\` CPU profile (100 µs sampling) of ${fmt(N)} sequential \`createDataClient\` GETs against the stub fetch, warm token; percentages of all samples (${fmt(samples)} samples, ${fmt(totalUs / 1000)} ms).`,
  ]);
  table("Profile: top 5 self-time functions in @dealcloud-ts code", topOurs.map(row));
  return { n: N, samples, totalMs: totalUs / 1000, top, topOurs };
}
