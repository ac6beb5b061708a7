/**
 * One voice for rule titles: each states the desired condition as a fact, in the present
 * tense ("Containers do not run privileged", "The daemon logs at level info") — no modal
 * verbs (must, should, may), no commands ("Do not …"), no bare noun phrases ("No …"), and no
 * full stop. Severity, not the title, says how much it matters.
 */
import { describe, expect, it } from "vitest";
import { allRules } from "../../src/rules/catalog";

describe("rule titles", () => {
  it("state the desired condition in the present tense, without modal verbs or commands", () => {
    const offenders = allRules
      .filter(
        (r) =>
          /\b(must|should|may|shall)\b/i.test(r.title) ||
          /^(Do not|Don't|Avoid|Use|Set|No)\b/.test(r.title) ||
          r.title.endsWith(".") ||
          !/^[A-Z`]/.test(r.title),
      )
      .map((r) => `${r.id}: ${r.title}`);
    expect(offenders).toEqual([]);
  });

  it("are distinct", () => {
    const titles = allRules.map((r) => r.title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});
