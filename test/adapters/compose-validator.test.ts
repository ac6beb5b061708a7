/** The Compose schema's validator is compiled ahead of time; the committed file is what the generator writes. */
import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { COMPOSE_VALIDATOR_PATH, composeValidatorSource } from "../../scripts/generate-compose-validator";
import schemaJson from "../../src/adapters/compose/compose-spec.schema.json";
import compiledComposeSpec from "../../src/adapters/compose/compose-spec.validate";

describe("compose-spec.validate.ts", () => {
  it("is up to date with compose-spec.schema.json (regenerate with `npx tsx scripts/generate-compose-validator.ts`)", () => {
    expect(readFileSync(COMPOSE_VALIDATOR_PATH, "utf8")).toBe(composeValidatorSource());
  });
});

describe("the compiled Compose validator", () => {
  it("reports what Ajv reports for the schema as written: validity, errors and their order", () => {
    const { $schema: _ignored, ...schema } = schemaJson as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const reference = ajv.compile(schema);
    const compiled = compiledComposeSpec as unknown as ValidateFunction;
    const errorsOf = (v: ValidateFunction) =>
      (v.errors ?? []).map((e) => [e.instancePath, e.keyword, e.params, e.message]);
    const values: unknown[] = [
      1,
      -1,
      1.5,
      "x",
      "",
      "1g",
      true,
      null,
      [],
      {},
      ["a"],
      [1],
      { a: 1 },
      { a: null },
    ];
    values.push([{ a: 1 }], { "x-y": 1 }, ["a", "a"], { source: "a", target: "/b", type: "bind" }, [
      { target: 80 },
    ]);
    const fields = Object.keys(
      (schemaJson as { definitions: { service: { properties: object } } }).definitions.service.properties,
    );
    let invalid = 0;
    let checked = 0;
    for (const field of [...fields, "x-extra", "unknown_field", "constructor", "toString", "__proto__"]) {
      for (const value of values) {
        for (const shape of [value, { [field]: value, context: value }, [value, { test: value }]]) {
          const doc = {
            services: { web: { image: "nginx", [field]: shape } },
            networks: { n: { internal: value } },
          };
          const ok = reference(doc);
          expect(compiled(doc), `${field}: ${JSON.stringify(shape)}`).toBe(ok);
          expect(errorsOf(compiled)).toEqual(errorsOf(reference));
          if (!ok) invalid++;
          checked++;
        }
      }
    }
    expect(invalid).toBeGreaterThan(checked / 2);
    expect(invalid).toBeLessThan(checked);
  });
});
