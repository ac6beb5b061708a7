/**
 * Writes RULES.md from the rule catalog. `--check` only compares and exits 1 when stale.
 * Usage: npm run rules:md [-- --check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rulesMarkdown } from "../src/report/rules-catalog";
import { allRules, outOfScope } from "../src/rules/catalog";

export const RULES_MD_PATH = join(__dirname, "..", "RULES.md");

export function generateRulesMd(): string {
  return rulesMarkdown(allRules, outOfScope);
}

if (require.main === module) {
  const text = generateRulesMd();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(RULES_MD_PATH, "utf8");
    } catch {}
    if (current !== text) {
      console.error("RULES.md is stale: run `npm run rules:md`");
      process.exit(1);
    }
  } else {
    writeFileSync(RULES_MD_PATH, text);
    console.log(`wrote ${RULES_MD_PATH} (${allRules.length} rules, ${outOfScope.length} out of scope)`);
  }
}
