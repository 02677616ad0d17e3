import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A guard against hangs, not a speed check: CI machines have two cores and run packages in parallel.
    testTimeout: 20_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
