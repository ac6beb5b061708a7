import { detectFormat } from "./load";

/**
 * The kinds, as whole words, that a Kubernetes file's text must spell to hold an object whose
 * copies the checks of other objects read (`CONTEXT_KINDS` in src/engine/file-audit.ts). The
 * adapter matches `kind` exactly, and plain, quoted, block and aliased scalars spell it out
 * between non-word characters (quotes, spaces, line ends), so `automountServiceAccountToken` or
 * `RoleBinding` alone do not count. An escape sequence, the only other way to write it, needs a
 * backslash: a text with a backslash counts too.
 */
const CONTEXT_KIND_WORD =
  /(?<![A-Za-z0-9])(?:NetworkPolicy|ServiceAccount|Role|ClusterRole)(?![A-Za-z0-9])|\\/;

/**
 * True when the file may hold objects that checks of other files read (network policies,
 * service accounts, RBAC roles, a daemon configuration); false only when it cannot. A parallel
 * audit audits these files first, so that every other file is audited against their objects
 * once and dropped.
 */
export function mayHoldContextObjects(file: string, text: string): boolean {
  if (detectFormat(file, text) === "daemon-json") return true;
  return CONTEXT_KIND_WORD.test(text);
}
