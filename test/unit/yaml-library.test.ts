import { describe, expect, it } from "vitest";
import { parseDocument, Scalar, YAMLMap } from "yaml";
import { isAlias, isMap, isPair, isScalar, isSeq } from "../../src/adapters/yaml-library";

describe("the yaml library's node tests, loaded on use", () => {
  it("tell the nodes of a Document parsed by any caller of the library", () => {
    const doc = parseDocument("base: &b { x: 1 }\nlist: [a, *b]\n");
    const top = doc.contents;
    expect(isMap(top)).toBe(true);
    if (!isMap(top)) return;
    const [base, list] = top.items;
    expect(isPair(base)).toBe(true);
    expect(isScalar(base?.key)).toBe(true);
    expect(isMap(base?.value)).toBe(true);
    expect(isSeq(list?.value)).toBe(true);
    const items = isSeq(list?.value) ? list.value.items : [];
    expect(items.map((n) => [isScalar(n), isAlias(n)])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(isSeq(top)).toBe(false);
    expect(isScalar(new Scalar("x"))).toBe(true);
    expect(isMap(new YAMLMap())).toBe(true);
  });

  it("find no node among plain values, and a look-alike is not one", () => {
    const tests: ((value: unknown) => boolean)[] = [isAlias, isMap, isPair, isScalar, isSeq];
    for (const plain of [{}, [], "x", 1, null, undefined, { items: [] }, { type: "MAP" }])
      expect(tests.map((is) => is(plain))).toEqual([false, false, false, false, false]);
  });
});
