import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The consumer tests move 1,000 events through the mock over loopback: under a second on a quiet machine,
    // past vitest's default 5 s while every package of a CI run builds and tests at once.
    testTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
