/**
 * Validation against the Compose Specification's JSON schema.
 *
 * `compose-spec.schema.json` beside this file is the schema of the Compose Specification
 * (compose-spec/compose-spec, `schema/compose-spec.json`, Apache License 2.0, © the Compose
 * Specification authors), vendored (content unchanged, reformatted by biome) from the copy the `dclint` npm package (v3.1.0,
 * MIT) ships as `schemas/compose.schema.json`. Replace it with a newer copy of the same file to
 * follow the specification.
 */
import type { default as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import type { default as addFormatsFn } from "ajv-formats";
import type { InputError } from "../../engine/finding";
import schemaJson from "./compose-spec.schema.json";
import { type ComposeDocument, locateCompose } from "./parse";

let validator: ValidateFunction | undefined;

/** Compiled once, on first use: compiling the schema costs more than validating a file. */
function composeValidator(): ValidateFunction {
  if (!validator) {
    // The schema names the draft-07 meta-schema by an https URL Ajv does not know; it is draft-07.
    const { $schema: _ignored, ...schema } = schemaJson as Record<string, unknown>;
    // Required here rather than imported: a run without Compose files never loads Ajv.
    const Ajv = (require("ajv") as { default: typeof AjvClass }).default;
    const addFormats = (require("ajv-formats") as { default: typeof addFormatsFn }).default;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(path: (string | number)[]): string {
  return path.length === 0 ? "(top level)" : path.join(".");
}

/** One message for one schema error, naming the field, the problem and the fix. */
function describeError(e: ErrorObject): { path: (string | number)[]; message: string } {
  const path = pointerToPath(e.instancePath);
  const where = dotted(path);
  switch (e.keyword) {
    case "additionalProperties": {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      return {
        path: [...path, extra],
        message: `${where}: "${extra}" is not a Compose Specification field — fix its spelling, or prefix it with "x-" for an extension`,
      };
    }
    case "required":
      return {
        path,
        message: `${where}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`,
      };
    case "type":
      return {
        path,
        message: `${where} must be ${String((e.params as { type: string | string[] }).type).replace(",", " or ")}`,
      };
    case "enum":
      return {
        path,
        message: `${where} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { path, message: `${where} ${e.message ?? "is invalid"}` };
  }
}

/** Ajv reports every branch of a failed `oneOf`/`anyOf`; the deepest error is the useful one. */
function pickErrors(errors: ErrorObject[]): ErrorObject[] {
  const concrete = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "if");
  const pool = concrete.length > 0 ? concrete : errors;
  const byPath = new Map<string, ErrorObject>();
  for (const e of pool) {
    const covered = [...byPath.keys()].some((p) => p.startsWith(e.instancePath) && p !== e.instancePath);
    if (covered) continue;
    for (const p of [...byPath.keys()])
      if (e.instancePath.startsWith(p) && p !== e.instancePath) byPath.delete(p);
    if (!byPath.has(e.instancePath)) byPath.set(e.instancePath, e);
  }
  return [...byPath.values()];
}

/** Validates a parsed Compose file; each error points at the offending node. */
export function validateCompose(cdoc: ComposeDocument): InputError[] {
  const validate = composeValidator();
  if (validate(cdoc.value)) return [];
  return pickErrors(validate.errors ?? [])
    .slice(0, 20)
    .map((e) => {
      const { path, message } = describeError(e);
      // Point at the deepest part of the path that exists (a missing key points at its parent).
      let at = locateCompose(cdoc, path);
      for (let n = path.length - 1; !at && n >= 0; n--) at = locateCompose(cdoc, path.slice(0, n));
      return {
        file: cdoc.file,
        message: `not a valid Compose file: ${message}`,
        line: at?.line ?? 1,
        column: at?.column ?? 1,
      };
    });
}
