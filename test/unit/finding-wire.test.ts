import { describe, expect, it } from "vitest";
import { FindingDecoder, FindingEncoder } from "../../src/audit/finding-wire";
import type { OrderedFinding } from "../../src/engine/file-audit";
import type { References } from "../../src/rules/rule";

const cis: References = { cis: ["5.2.1"] };
const checkov: References = { checkov: ["CKV_K8S_20"] };

function part(
  i: number,
  references: References,
  extra: Partial<OrderedFinding["finding"]> = {},
): OrderedFinding {
  return {
    finding: {
      ruleId: `rule-${i % 3}`,
      severity: i % 2 === 0 ? "high" : "low",
      message: `message ${i} with "quotes" and ünïcode`,
      file: `dir/file-${i % 4}.yaml`,
      line: 10 + i,
      column: 1 + (i % 5),
      object: `Deployment ns/app-${i}`,
      references,
      resourceIndex: i % 7,
      ...extra,
    },
    ordinal: 100 + i,
    pass: i % 2,
    // A rule's place × 2^32 + the violation's: beyond 32 bits.
    order: (i % 9) * 2 ** 32 + i,
  };
}

/** Through a real structured clone, as a worker's message crosses. */
function cross<T>(value: T): T {
  return structuredClone(value);
}

describe("findings on the wire between an audit worker and the CLI's thread", () => {
  it("rebuilds every field, in order, with the fixes and the shared references", () => {
    const fix = [{ op: "set" as const, path: "spec.x", value: { nested: [1, "two"] } }];
    const first = [part(0, cis), part(1, checkov, { fix }), part(2, cis)];
    const second = [part(3, checkov), part(4, cis, { fix: [] }), part(5, { cis: ["other"] })];
    const encoder = new FindingEncoder();
    const decoder = new FindingDecoder();
    const out: OrderedFinding[] = [];
    decoder.decode(cross(encoder.encode(first)), out);
    decoder.decode(cross(encoder.encode(second)), out);
    decoder.decode(cross(encoder.encode([])), out);
    expect(out).toEqual([...first, ...second]);
    // A rule's references object arrives once and is shared, as in the worker.
    expect(out[0]?.finding.references).toBe(out[2]?.finding.references);
    expect(out[3]?.finding.references).toBe(out[1]?.finding.references);
    expect(out[5]?.finding.references).not.toBe(out[0]?.finding.references);
    expect(out[0]?.finding.fix).toBeUndefined();
    expect(Object.keys(out[1]?.finding ?? {})).toEqual([
      "ruleId",
      "severity",
      "message",
      "file",
      "line",
      "column",
      "object",
      "references",
      "resourceIndex",
      "fix",
    ]);
  });

  it("sends rule ids, severities, files, objects and references once per worker, messages once per message", () => {
    const encoder = new FindingEncoder();
    const repeated = part(3, cis, { message: 'message 0 with "quotes" and ünïcode' });
    const a = encoder.encode([part(0, cis), part(3, cis), repeated]);
    // Rule id, severity, file and object, once each (0 and 3 share their rule id); each message once.
    expect(a.strings).toEqual([
      "rule-0",
      "high",
      "dir/file-0.yaml",
      "Deployment ns/app-0",
      "low",
      "dir/file-3.yaml",
      "Deployment ns/app-3",
    ]);
    expect(a.messages).toEqual([
      'message 0 with "quotes" and ünïcode',
      'message 3 with "quotes" and ünïcode',
    ]);
    expect(a.references).toEqual([cis]);
    const b = encoder.encode([part(6, cis), part(0, cis)]);
    // rule-0, high, file-0, app-0 and the references were sent already; messages are sent again.
    expect(b.strings).toEqual(["dir/file-2.yaml", "Deployment ns/app-6"]);
    expect(b.messages).toEqual([
      'message 6 with "quotes" and ünïcode',
      'message 0 with "quotes" and ünïcode',
    ]);
    expect(b.references).toEqual([]);
  });

  it("moves the numbers instead of copying them", () => {
    const wire = new FindingEncoder().encode([part(0, cis)]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(wire, [wire.numbers.buffer]);
    expect(wire.numbers.byteLength).toBe(0);
    port1.close();
    port2.close();
  });
});
