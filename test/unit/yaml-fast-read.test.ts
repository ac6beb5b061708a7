import { describe, expect, it } from "vitest";
import { readYamlFast } from "../../src/adapters/yaml-fast-read";
import {
  MAX_DEPTH,
  nestingDepth,
  parseEditableYamlFile,
  parseYamlFile,
  SourceError,
  surelyNoDeeperThan,
} from "../../src/adapters/yaml-source";

/** Every path of a value, plus one missing key or item under each collection. */
function* pathsOf(v: unknown, at: (string | number)[] = []): Generator<(string | number)[]> {
  yield at;
  if (Array.isArray(v)) {
    for (let i = 0; i <= v.length; i++) yield* pathsOf(v[i], [...at, i]);
  } else if (v !== null && typeof v === "object") {
    for (const [k, child] of Object.entries(v)) yield* pathsOf(child, [...at, k]);
    yield [...at, "absent-key"];
  }
}

/** Files the fast read takes: it must agree with the `yaml` Document on values and positions. */
const FAST = {
  "block maps and sequences":
    "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      ports:\n        - containerPort: 80\n",
  "sequence at the key's indentation": "a:\n- 1\n- b: 2\n  c: 3\n",
  "flow collections": "a: {b: 1, c: [x, y, {d: 2}]}\ne: [ ]\nf: {}\ng: {\n  h: 1,\n  i: 2\n}\n",
  "flow collection at the top": '{"kind": "Pod", "spec": {"containers": [{"name": "a"}]}}\n',
  "flow maps as sequence items": "items:\n  - {name: a}\n  - [1, 2]\n",
  comments: "# head\na: 1 # tail\nb:\n  # before\n  - # inline\n    name: x\n  - y\n",
  "CRLF line ends": "a: 1\r\nb:\r\n  c: 2\r\n",
  "several documents": "# c\n---\na: 1\n---\n---\nb: [1]\n...\n---\nc: 3\n",
  "block scalars": "a: |\n  one\n  two\nb: >-\n  folded\nc: 1\n",
  "core schema scalars":
    "a: 0b101\nb: 1_000\nc: 0o17\nd: -0x1A\ne: .inf\nf: -.Inf\ng: 1e3\nh: 010\ni: +5\nj: 1.\nk: 0x1f\nl: 2024-01-01\nm: yes\nn: True\no: .5\np: ~\nq:\n",
  "quoted keys and values": "\"a\": 1\n'b c': 'x: y'\nd: \"multi\n  line\"\n",
  "nested sequences": "- - a\n  - b\n- - c\n",
  "no final line end": "a: 1\nb: [1, 2]",
  "explicit key": "? a\n: 1\n",
  // CEL validation rules as CRDs carry them: a `!` after a space is no tag inside a scalar.
  "CEL rules with negations":
    "x-kubernetes-validations:\n  - rule: '!has(self.a) || self.b != 1'\n  - rule: \"!self.c\"\n  - rule: >-\n      self.all(l,\n      !has(l.tls) : true)\n  - rule: |\n      !has(self.d)\n  - message: a != b, [!x] {!y} ,!z\n    rule: self.e\n      != 0\n",
  "negation as a flow item's text": "a: ['x !y', \"!z\"]\nb: {c: 'd != e'}\n",
};

/** Files the fast read leaves to the `yaml` Document. */
const FULL = {
  anchors: "a: &x {b: 1}\nc: *x\n",
  tags: "a: !!str 1\n",
  "custom tag on a value": "a: !reset []\n",
  "tag on a sequence item": "a:\n  - !custom x\n",
  "tag on a flow item": "a: [b, !!str 1]\n",
  "tag in a flow mapping": "a: {b: !t c}\n",
  "tag on a key": "!!str a: 1\n",
  "tag on an explicit key": "? !!str a\n: 1\n",
  "tag on a mapping, keys below": "a: !!map\n  b: 1\n",
  "tag on the document's root": "---\n!!map\nb: 1\n",
  "tag after a comment line": "a:\n  # note\n  !!str 1\n",
  "non-specific tag": "a: ! 12\n",
  "tag and CEL in one file": "a: '!has(self.x)'\nb: !!int 3\n",
  "duplicate keys": "a: 1\na: 2\n",
  "comment suppression": "# shipshape:ignore some-rule because of a test\na: 1\n",
  "byte-order mark": "\ufeffa: 1\n",
  "flow key without value": "a: {b, c: 1}\n",
  "empty sequence item": "a:\n  -\n  - 1\n",
  "key over 1024 characters": `${"k".repeat(1100)}: 1\n`,
  "content on the document marker": "--- a: 1\n",
  "invalid YAML": "a:\n  b: 1\n c: 2\n",
};

describe("fast YAML read", () => {
  it.each(Object.entries(FAST))("agrees with the yaml Document: %s", (_, text) => {
    const fast = readYamlFast("f.yaml", text, MAX_DEPTH);
    expect(fast).toBeDefined();
    const full = parseEditableYamlFile("f.yaml", text);
    expect(fast?.length).toBe(full.length);
    full.forEach((doc, i) => {
      const mine = fast?.[i];
      expect(mine?.value).toEqual(doc.value);
      if (doc.value === null) return;
      for (const path of pathsOf(doc.value)) {
        expect({ path, at: mine?.locate(path) }).toEqual({ path, at: doc.locate(path) });
      }
    });
  });

  it.each(Object.entries(FULL))("leaves to the yaml Document: %s", (_, text) => {
    expect(readYamlFast("f.yaml", text, MAX_DEPTH)).toBeUndefined();
  });

  it("still refuses an alias bomb, with the position and message of the full read", () => {
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(97 + i - 1);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    expect(() => parseYamlFile("bomb.yaml", `${lines.join("\n")}\n`)).toThrow(/billion laughs/);
  });

  it("still refuses deep nesting before parsing", () => {
    const deep = `${"[".repeat(MAX_DEPTH + 10)}${"]".repeat(MAX_DEPTH + 10)}\n`;
    try {
      parseYamlFile("deep.yaml", deep);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SourceError);
      expect((e as SourceError).message).toMatch(/nests about \d+ levels deep/);
    }
  });

  it("skips the depth scan only where the scan could not refuse the text", () => {
    const max = 8;
    const texts = [
      "a: [1, {b: 2}]\n",
      "[[[[[x]]]]]\n",
      `${"[".repeat(max + 1)}${"]".repeat(max + 1)}\n`,
      "'[[[[[': 1\n",
      `${" ".repeat(2 * max + 2)}x: 1\n`,
      `${" ".repeat(2 * max)}x: 1\n`,
      `${"- ".repeat(max + 1)}x\n`,
      "x: 1\r\ny: 2",
      "",
    ];
    for (const text of texts) {
      if (surelyNoDeeperThan(text, max))
        expect(nestingDepth(text), JSON.stringify(text)).toBeLessThanOrEqual(max);
    }
    expect(surelyNoDeeperThan("a: [1, {b: 2}]\n", max)).toBe(true);
    expect(surelyNoDeeperThan(`${"[".repeat(max + 1)}${"]".repeat(max + 1)}\n`, max)).toBe(false);
    expect(surelyNoDeeperThan(`${"- ".repeat(max + 1)}x\n`, max)).toBe(false);
  });
});
