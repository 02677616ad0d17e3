// Adds up the vitest JSON reports every package's `test` task leaves (turbo restores them on a cache hit, so the
// count is right on a cached run too) and ends with the plain line CI reads: "N passed, N failed".
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ["packages", "apps"]) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    // Deno's own test runner leaves a JUnit report instead.
    const junit = join(group, name, ".deno-test-report.xml");
    if (existsSync(junit)) {
      const xml = readFileSync(junit, "utf8");
      const cases = (xml.match(/<testcase\b/g) ?? []).length;
      const failures = (xml.match(/<failure\b/g) ?? []).length;
      passed += cases - failures;
      failed += failures;
      rows.push({ package: `${group}/${name} (deno test)`, passed: cases - failures, failed: failures, files: 1 });
    }
    // Plain script tests (the Worker example under workerd) leave `{ passed, failed }`.
    const plain = join(group, name, ".test-report.json");
    if (existsSync(plain)) {
      const r = JSON.parse(readFileSync(plain, "utf8"));
      passed += r.passed;
      failed += r.failed;
      rows.push({ package: `${group}/${name}`, passed: r.passed, failed: r.failed, files: 1 });
    }
    const report = join(group, name, ".vitest-report.json");
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    rows.push({
      package: `${group}/${name}`,
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      files: r.testResults.length,
    });
  }
}
// The conformance suite runs in several runtimes; each runtime is one row.
const conformance = join("packages", "conformance", "results", "conformance.json");
if (existsSync(conformance)) {
  for (const row of JSON.parse(readFileSync(conformance, "utf8"))) {
    passed += row.passed;
    failed += row.failed;
    rows.push({
      package: `conformance: ${row.runtime} ${row.version}`,
      passed: row.passed,
      failed: row.failed,
      files: 1,
    });
  }
}
console.table(rows);
if (passed + failed === 0) {
  console.error("No test reports found: did `turbo run test` run?");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
