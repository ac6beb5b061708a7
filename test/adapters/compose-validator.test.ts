/** The Compose schema's validator is compiled ahead of time; the committed file is what the generator writes. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPOSE_VALIDATOR_PATH, composeValidatorSource } from "../../scripts/generate-compose-validator";

describe("compose-spec.validate.ts", () => {
  it("is up to date with compose-spec.schema.json (regenerate with `npx tsx scripts/generate-compose-validator.ts`)", () => {
    expect(readFileSync(COMPOSE_VALIDATOR_PATH, "utf8")).toBe(composeValidatorSource());
  });
});
