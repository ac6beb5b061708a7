/**
 * `--pss-version`: every change to the standard from v1.25 on, by rule id and line, at every
 * supported version. The fixture marks each line with the versions that report it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import {
  LATEST_PSS_MINOR,
  PSS_CHANGES,
  PSS_MINOR_VERSIONS,
  type PssMinor,
  parsePssVersion,
} from "../../../src/rules/pss/versions";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";

const FILE = join(__dirname, "../../fixtures/kubernetes/pss-versions/changes.yaml");
const TEXT = readFileSync(FILE, "utf8");

interface Marker {
  line: number;
  rule: string;
  direction: "below" | "from";
  minor: number;
}

function markers(text: string): Marker[] {
  const out: Marker[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /# expect: (.+)$/.exec(line);
    if (!m?.[1] || line.trimStart().startsWith("#")) return;
    for (const clause of m[1].split(", ")) {
      const c = /^([a-z-]+) (below|from) v1\.(\d+)$/.exec(clause.trim());
      if (!c) throw new Error(`bad marker on line ${i + 1}: ${clause}`);
      out.push({
        line: i + 1,
        rule: c[1] as string,
        direction: c[2] as Marker["direction"],
        minor: Number(c[3]),
      });
    }
  });
  return out;
}

const MARKERS = markers(TEXT);
const RULES = [...new Set(MARKERS.map((m) => m.rule))];

function expected(version: PssMinor): string[] {
  return MARKERS.filter((m) => (m.direction === "below" ? version < m.minor : version >= m.minor))
    .map((m) => `${m.line} ${m.rule}`)
    .sort();
}

describe("Pod Security Standards versions", () => {
  const loaded = loadKubernetesFile(FILE, TEXT);

  it("loads the fixture cleanly", () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.resources).toHaveLength(6);
  });

  for (const version of PSS_MINOR_VERSIONS) {
    it(`v1.${version} reports exactly the lines its standard rejects`, () => {
      const found = audit(loaded.resources, { only: RULES, pssVersion: version })
        .map((f) => `${f.line} ${f.ruleId}`)
        .sort();
      expect(found).toEqual(expected(version));
    });
  }

  it("defaults to the newest version", () => {
    const found = audit(loaded.resources, { only: RULES })
      .map((f) => `${f.line} ${f.ruleId}`)
      .sort();
    expect(found).toEqual(expected(LATEST_PSS_MINOR));
  });

  it("has a fixture line for every recorded change", () => {
    const covered = new Set(MARKERS.map((m) => m.minor));
    for (const [name, change] of Object.entries(PSS_CHANGES)) {
      expect(covered.has(change.since), `${name} (v1.${change.since})`).toBe(true);
    }
  });

  it("reads version names as namespaces label them and refuses others", () => {
    expect(parsePssVersion("v1.25")).toBe(25);
    expect(parsePssVersion("1.30")).toBe(30);
    expect(parsePssVersion("latest")).toBe(LATEST_PSS_MINOR);
    expect(parsePssVersion("v1.24")).toBeUndefined();
    expect(parsePssVersion("v1.99")).toBeUndefined();
    expect(parsePssVersion("v2.0")).toBeUndefined();
  });
});
