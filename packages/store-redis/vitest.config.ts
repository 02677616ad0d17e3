import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One redis-server for the whole run, started and stopped by the global setup.
    globalSetup: ["test/redis-server.ts"],
    // The process tests fork 8 Node processes each: one file at a time keeps a 2-core machine responsive.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
