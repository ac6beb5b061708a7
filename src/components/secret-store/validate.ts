import { readFileSync, statSync } from "node:fs";
import { z } from "zod";
import { text, wholeNumber } from "../validation/fields";
import { type ArgsIssue, ComponentArgsError, containsUnknown } from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import type { SecretStoreArgs } from "./args";

/** Invalid SecretStore args (see ComponentArgsError). Values are never shown. */
export class SecretStoreArgsError extends ComponentArgsError {
  constructor(name: string, issues: ArgsIssue[]) {
    super("SecretStore", name, issues);
    this.name = "SecretStoreArgsError";
  }
}

const SECRET_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
/** A file bigger than this is not a secret but a mistake (Kubernetes Secrets hold at most 1 MiB). */
const MAX_FILE_BYTES = 512 * 1024;

const storedSecret = z.strictObject({
  name: z
    .string({ error: "name must be a string" })
    .max(63, { error: "a secret's name is at most 63 characters" })
    .regex(SECRET_NAME, {
      error:
        "a secret's name is lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit, e.g. \"api-key\"",
    }),
  value: z.any().optional(),
  file: text("file").min(1, { error: "file must name a file" }).optional(),
  length: wholeNumber("length", 16, 256, " (shorter is guessable)").optional(),
  version: wholeNumber("version", 1, 1_000_000).optional(),
});

const schema = z.strictObject({
  secrets: z
    .array(storedSecret, { error: "secrets must be a list of { name, value | file | length }" })
    .min(1, {
      error: "secrets lists at least one secret",
    }),
  envFile: z.boolean({ error: "envFile must be true or false" }).optional(),
  envFilePath: text("envFilePath").min(1).optional(),
});

/** Where a secret's value comes from. */
export enum SecretOrigin {
  Given = "given",
  File = "file",
  Generated = "generated",
}

export type SecretPlan =
  | { name: string; origin: SecretOrigin.Given; value: unknown; version: number }
  | { name: string; origin: SecretOrigin.File; value: string; file: string; version: number }
  | { name: string; origin: SecretOrigin.Generated; length: number; version: number };

export interface StorePlan {
  secrets: SecretPlan[];
  envFilePath?: string;
}

/** Validates the args and reads the files; throws `SecretStoreArgsError` before anything is registered. */
export function planStore(name: string, args: SecretStoreArgs): StorePlan {
  const issues: ArgsIssue[] = [];
  if (args === null || typeof args !== "object")
    throw new SecretStoreArgsError(String(name), [
      {
        path: "",
        value: undefined,
        message: "args must be an object: { secrets: [{ name, value | file | length }] }",
      },
    ]);
  for (const field of ["secrets", "envFile", "envFilePath"] as const) {
    const v = args[field];
    const unknown =
      field === "secrets" && Array.isArray(v)
        ? v.some((s) => s && typeof s === "object" && containsUnknown({ ...s, value: undefined }))
        : containsUnknown(v);
    if (unknown)
      issues.push({
        path: field,
        value: v,
        message: `${field} decides which resources are created, so it must be plain values known when the program runs (only a secret's value may be an Output)`,
      });
  }
  if (issues.length > 0) throw invalid(name, issues);
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw invalid(name, argsIssuesFromZod(parsed.error, args, "SecretStoreArgs"));
  const a = parsed.data;
  const secrets: SecretPlan[] = [];
  const seen = new Set<string>();
  a.secrets.forEach((s, i) => {
    const where = `secrets.${i}`;
    if (seen.has(s.name))
      issues.push({
        path: `${where}.name`,
        value: s.name,
        message: "two secrets have this name; names are unique in a store",
      });
    seen.add(s.name);
    if ("value" in (args.secrets[i] as object) && s.value === undefined) {
      issues.push({
        path: `${where}.value`,
        value: undefined,
        message:
          "value is given but undefined (an unset config key?): set it (pulumi config set --secret …), or leave value out to generate the secret",
      });
      return;
    }
    const sources = (["value", "file", "length"] as const).filter((k) => s[k] !== undefined);
    if (sources.length > 1) {
      issues.push({
        path: where,
        value: sources,
        message: "give one of value, file and length: a secret is given, read from a file, or generated",
      });
      return;
    }
    const version = s.version ?? 1;
    if (s.value !== undefined) {
      if (s.version !== undefined)
        issues.push({
          path: `${where}.version`,
          value: s.version,
          message:
            "version re-generates a generated secret; a given value rotates when it changes (drop version)",
        });
      if (typeof s.value === "string" && s.value.length === 0)
        issues.push({
          path: `${where}.value`,
          value: s.value,
          sensitive: true,
          message: "the secret is empty; give a value",
        });
      else if (typeof s.value !== "string" && !isOutputLike(s.value))
        issues.push({
          path: `${where}.value`,
          value: s.value,
          sensitive: true,
          message: 'value must be a string or an Output of one (e.g. config.requireSecret("…"))',
        });
      secrets.push({ name: s.name, origin: SecretOrigin.Given, value: s.value, version });
    } else if (s.file !== undefined) {
      const read = readSecretFile(s.file);
      if (typeof read !== "string")
        issues.push({ path: `${where}.file`, value: s.file, message: read.problem });
      else secrets.push({ name: s.name, origin: SecretOrigin.File, value: read, file: s.file, version });
    } else {
      secrets.push({ name: s.name, origin: SecretOrigin.Generated, length: s.length ?? 32, version });
    }
  });
  if (a.envFilePath !== undefined && !a.envFile)
    issues.push({
      path: "envFilePath",
      value: a.envFilePath,
      message: "envFilePath needs envFile: true (no env file is written otherwise)",
    });
  if (issues.length > 0) throw invalid(name, issues);
  const plan: StorePlan = { secrets };
  if (a.envFile) plan.envFilePath = a.envFilePath ?? `${name}.env`;
  return plan;
}

function isOutputLike(v: unknown): boolean {
  return containsUnknown(v);
}

/** The file's content, or why it cannot be a secret. Never says anything about the content but its size. */
function readSecretFile(path: string): string | { problem: string } {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { problem: "not a regular file; name the file holding the secret" };
    size = st.size;
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); check the path` };
  }
  if (size > MAX_FILE_BYTES)
    return { problem: `is ${size} bytes; a secret file holds at most ${MAX_FILE_BYTES}` };
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (e) {
    return {
      problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); check its permissions`,
    };
  }
  if (content.length === 0) return { problem: "is empty; an empty secret protects nothing" };
  return content;
}

function invalid(name: string, issues: ArgsIssue[]): SecretStoreArgsError {
  return new SecretStoreArgsError(
    String(name),
    issues.map((i) => (/\.value$/.test(i.path) ? { ...i, sensitive: true } : i)),
  );
}
