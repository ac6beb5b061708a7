import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { audit } from "../../../src/engine/audit";
import type { Resource } from "../../../src/model";
import { dockerRules } from "../../../src/rules/docker";
import type { Rule } from "../../../src/rules/rule";
import type { SourceFile } from "../../../src/sources/source-file";

export const FIXTURES = join(__dirname, "..", "..", "fixtures", "docker", "rules");

/** Loads a fixture with the given loader and fails the test on input errors. */
export function loadFixture(relative: string, load: (file: string, text: string) => SourceFile): Resource[] {
  const file = join(FIXTURES, relative);
  const source = load(relative, readFileSync(file, "utf8"));
  expect(source.errors).toEqual([]);
  return source.resources;
}

/** `rule-id@line` for every finding of the given rules, sorted by line then id. */
export function findingsAt(resources: Resource[], rules: readonly Rule[] = dockerRules): string[] {
  return audit(resources, { rules }).map((f) => `${f.ruleId}@${f.line}`);
}
