import type { OrderedFinding } from "../engine/file-audit";
import type { Finding } from "../engine/finding";
import type { Patch, References, Severity } from "../rules/rule";

/**
 * Findings as they cross from a worker thread to the CLI's thread: their numbers in one
 * `Float64Array` (moved, not copied), their strings and references once each, by number:
 * rule ids, severities, files, objects and references once per worker, messages once per
 * message (most are a finding's own: a worker that kept them all until the end would hold each
 * twice, with the CLI's thread).
 * A structured clone of the findings as objects copies every property name and every repeated
 * string for each finding, and rebuilding them cost the CLI's thread more than the worker
 * saved it: on 36,000 findings about 110–240 ms against 20 ms this way.
 */
export interface WireFindings {
  /** `FIELDS` numbers a finding, in the order of the constants below. */
  numbers: Float64Array<ArrayBuffer>;
  /** Strings first seen in this message, appended to the sender's table. */
  strings: string[];
  /** This message's distinct messages. */
  messages: string[];
  /** References first seen in this message, appended to the sender's table. */
  references: References[];
  /** The fixes of the findings that have one: [finding's place in this message, fix]. */
  fixes: [number, Patch[]][];
}

/** Where each of a finding's numbers sits among its `FIELDS`. */
const RULE_ID = 0;
const SEVERITY = 1;
const MESSAGE = 2;
const FILE = 3;
const LINE = 4;
const COLUMN = 5;
const OBJECT = 6;
const REFERENCES = 7;
const RESOURCE_INDEX = 8;
const ORDINAL = 9;
const PASS = 10;
const ORDER = 11;
const FIELDS = 12;

/** The worker's side: numbers its strings and references as it first sends each. */
export class FindingEncoder {
  private readonly stringIds = new Map<string, number>();
  private readonly referenceIds = new Map<References, number>();

  encode(parts: readonly OrderedFinding[]): WireFindings {
    const numbers = new Float64Array(parts.length * FIELDS);
    const strings: string[] = [];
    const messages: string[] = [];
    const messageIds = new Map<string, number>();
    const references: References[] = [];
    const fixes: [number, Patch[]][] = [];
    const text = (s: string): number => {
      let id = this.stringIds.get(s);
      if (id === undefined) {
        id = this.stringIds.size;
        this.stringIds.set(s, id);
        strings.push(s);
      }
      return id;
    };
    const message = (s: string): number => {
      let id = messageIds.get(s);
      if (id === undefined) {
        id = messages.length;
        messageIds.set(s, id);
        messages.push(s);
      }
      return id;
    };
    for (let i = 0; i < parts.length; i++) {
      const { finding, ordinal, pass, order } = parts[i] as OrderedFinding;
      let reference = this.referenceIds.get(finding.references);
      if (reference === undefined) {
        reference = this.referenceIds.size;
        this.referenceIds.set(finding.references, reference);
        references.push(finding.references);
      }
      const at = i * FIELDS;
      numbers[at + RULE_ID] = text(finding.ruleId);
      numbers[at + SEVERITY] = text(finding.severity);
      numbers[at + MESSAGE] = message(finding.message);
      numbers[at + FILE] = text(finding.file);
      numbers[at + LINE] = finding.line;
      numbers[at + COLUMN] = finding.column;
      numbers[at + OBJECT] = text(finding.object);
      numbers[at + REFERENCES] = reference;
      numbers[at + RESOURCE_INDEX] = finding.resourceIndex;
      numbers[at + ORDINAL] = ordinal;
      numbers[at + PASS] = pass;
      numbers[at + ORDER] = order;
      if (finding.fix !== undefined) fixes.push([i, finding.fix]);
    }
    return { numbers, strings, messages, references, fixes };
  }
}

/** The CLI's side, one per worker: rebuilds the findings from the worker's tables. */
export class FindingDecoder {
  private readonly strings: string[] = [];
  private readonly references: References[] = [];

  /** Appends the message's findings to `out`, in the order the worker listed them. */
  decode(wire: WireFindings, out: OrderedFinding[]): void {
    for (const s of wire.strings) this.strings.push(s);
    for (const r of wire.references) this.references.push(r);
    const { numbers, messages } = wire;
    const strings = this.strings;
    const first = out.length;
    for (let at = 0; at < numbers.length; at += FIELDS) {
      // The properties in the order a file audit creates them, so that every finding has one shape.
      const finding: Finding = {
        ruleId: strings[numbers[at + RULE_ID] as number] as string,
        severity: strings[numbers[at + SEVERITY] as number] as Severity,
        message: messages[numbers[at + MESSAGE] as number] as string,
        file: strings[numbers[at + FILE] as number] as string,
        line: numbers[at + LINE] as number,
        column: numbers[at + COLUMN] as number,
        object: strings[numbers[at + OBJECT] as number] as string,
        references: this.references[numbers[at + REFERENCES] as number] as References,
        resourceIndex: numbers[at + RESOURCE_INDEX] as number,
      };
      out.push({
        finding,
        ordinal: numbers[at + ORDINAL] as number,
        pass: numbers[at + PASS] as number,
        order: numbers[at + ORDER] as number,
      });
    }
    for (const [i, fix] of wire.fixes) (out[first + i] as OrderedFinding).finding.fix = fix;
  }
}
