// Lints one OpenAPI document with Redocly's engine (the one behind `redocly lint`), ruleset "recommended-strict"
// plus the project's own rules on security and the x-dealcloud marks.
import { createConfig, lint } from "@redocly/openapi-core";

export interface LintProblem {
  readonly severity: "error" | "warn";
  readonly message: string;
  readonly where: string;
}

export async function lintSpec(file: string): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ["recommended-strict"] });
  const problems = await lint({ ref: file, config });
  return problems.map((problem) => ({
    severity: problem.severity === "error" ? "error" : "warn",
    message: `${problem.ruleId}: ${problem.message}`,
    where: problem.location[0]?.pointer ?? "",
  }));
}
