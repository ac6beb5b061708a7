import type { z } from "zod";
import { type ArgsIssue, valueAt } from "./issues";

/**
 * zod's issues as ArgsIssues: the dotted path, the value found there, and the schema's own
 * message (each schema field says what it wants); zod's generic texts get a plainer wording.
 */
export function argsIssuesFromZod(error: z.ZodError, args: unknown, argsTypeName: string): ArgsIssue[] {
  return error.issues.map((iss) => {
    const path = iss.path.map(String).join(".");
    let message = iss.message;
    if (iss.code === "unrecognized_keys")
      message = `unknown field(s) ${iss.keys.join(", ")}; check the spelling against ${argsTypeName}`;
    else if (iss.code === "invalid_type" && /^Invalid input/.test(message))
      message = `expected ${iss.expected}`;
    return { path, value: valueAt(args, iss.path), message };
  });
}
