import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The 1,000-request composition tests take ~2 s alone and several times that while turbo runs every
    // package's tests at once on a 2-core machine; this is a hang guard, not a speed assertion.
    testTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
