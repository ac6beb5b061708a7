import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyComplianceFramework } from "@pulumi/policy";
import { REFERENCE_FRAMEWORKS, type Rule } from "../rules/rule";

/** The package root: the nearest folder above this file with shipshape's package.json. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) return __dirname;
    dir = up;
  }
  return dir;
}

const RULES_MD = path.join(packageRoot(), "RULES.md");

/** Link to the rule's section of the generated catalog shipped with the package. */
export function ruleUrl(rule: Rule): string {
  return `file://${RULES_MD}#${rule.id}`;
}

/** The framework a policy is filed under: PSS for pod checks, CIS Docker 1.6 for Docker ones. */
export function ruleFramework(rule: Rule): PolicyComplianceFramework | undefined {
  const pss = rule.references.pss?.[0];
  if (pss) {
    return {
      name: "Kubernetes Pod Security Standards",
      version: "v1.35",
      reference: pss,
      specification: `${rule.pssLevel ?? "baseline"}: ${rule.title}`,
    };
  }
  const cis = rule.references.cis?.[0];
  if (cis) {
    return { name: "CIS Docker Benchmark", version: "1.6.0", reference: cis, specification: rule.title };
  }
  return undefined;
}

/** Tags such as `pss:restricted`, `cis:5.4`, `kubeLinter:privileged-container`. */
export function ruleTags(rule: Rule): string[] {
  const tags = ["shipshape", `severity:${rule.severity}`];
  if (rule.pssLevel) tags.push(`pss:${rule.pssLevel}`);
  for (const fw of REFERENCE_FRAMEWORKS) {
    for (const id of rule.references[fw] ?? []) tags.push(`${fw}:${id}`);
  }
  return tags;
}
