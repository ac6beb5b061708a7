import type { SourceLocation, Suppression } from "../model";

/** Annotation / label key prefix: `shipshape.io/suppress.<rule-id>: <reason>`. */
export const SUPPRESS_KEY_PREFIX = "shipshape.io/suppress.";

/** Comment form: `# shipshape:ignore rule-a,rule-b <reason>` (also `--` or `:` before the reason). */
const COMMENT_FORM = /#\s*shipshape:ignore\b[ \t]*([A-Za-z0-9_,.-]*)[ \t]*(?:--|:)?[ \t]*(.*)$/;

/** Suppressions written as annotations or labels on the object. */
export function suppressionsFromKeys(
  entries: Record<string, string>,
  form: "annotation" | "label",
  pathPrefix: "annotations" | "labels",
): Suppression[] {
  const out: Suppression[] = [];
  for (const [key, value] of Object.entries(entries)) {
    if (!key.startsWith(SUPPRESS_KEY_PREFIX)) continue;
    const ruleId = key.slice(SUPPRESS_KEY_PREFIX.length);
    out.push({
      ruleIds: ruleId === "" ? [] : [ruleId],
      reason: String(value ?? ""),
      form,
      path: `${pathPrefix}.${key}`,
    });
  }
  return out;
}

export interface CommentSuppression extends Suppression {
  location: SourceLocation;
}

/**
 * Suppressions written as comments in `text`, which starts at `firstLine` of `file`.
 * The caller decides which object a comment belongs to (the document, the service…).
 */
export function suppressionsFromComments(
  text: string,
  file: string,
  firstLine: number,
  indexBase: number,
): CommentSuppression[] {
  const out: CommentSuppression[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.includes("shipshape:ignore")) continue;
    const m = COMMENT_FORM.exec(line);
    if (!m) continue;
    const ids = (m[1] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({
      ruleIds: ids,
      reason: (m[2] ?? "").trim(),
      form: "comment",
      path: `suppressions.${indexBase + out.length}`,
      location: { file, line: firstLine + i, column: line.indexOf("#") + 1 },
    });
  }
  return out;
}
