// Sums the JSON reports of every suite (vitest and Playwright) into the one closing line CI reads.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];

for (const group of ["apps", "packages"]) {
  for (const pkg of readdirSync(group)) {
    const dir = join(group, pkg, ".reports");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
      let p = 0,
        f = 0,
        s = 0;
      if ("numPassedTests" in report) {
        // vitest
        p = report.numPassedTests;
        f =
          report.numFailedTests + (report.success === false && report.numFailedTests === 0 ? 1 : 0);
        s = report.numPendingTests + (report.numTodoTests ?? 0);
      } else if (report.stats) {
        // Playwright
        p = report.stats.expected + (report.stats.flaky ?? 0);
        f = report.stats.unexpected + (report.errors?.length ?? 0);
        s = report.stats.skipped;
      }
      rows.push(`${join(group, pkg)} (${file}): ${p} passed, ${f} failed, ${s} skipped`);
      passed += p;
      failed += f;
      skipped += s;
    }
  }
}
for (const row of rows) console.log(`  ${row}`);
if (rows.length === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
