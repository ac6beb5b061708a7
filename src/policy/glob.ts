/**
 * A glob as a whole-string regular expression: `*` matches any run of characters (`/`, `:` and
 * `@` included), everything else is literal. Exemptions and verified-image lists use it.
 */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}
