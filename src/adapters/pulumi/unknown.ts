/**
 * During `pulumi preview` the engine hands policies sentinel strings for values that are not
 * known yet. These are the sentinels of the Pulumi policy SDK and of the Node.js runtime
 * (both use the same UUIDs); the policy SDK wraps props in a proxy that throws on access,
 * which `unwrapPolicyProps` undoes so that the adapter can record where the unknowns are.
 */
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The policy SDK's accessor for the object behind its unknown-checking proxy. */
const PROXY_TARGET = "__getSpecialProxyTarget";

export function isUnknownValue(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Returns plain props: the object behind the policy SDK's proxy, or the props themselves. */
export function unwrapPolicyProps(props: Record<string, unknown>): Record<string, unknown> {
  const target = (props as Record<string, unknown>)[PROXY_TARGET];
  return target && typeof target === "object" ? (target as Record<string, unknown>) : props;
}

/** True when the value at `path` in `props`, or any value on the way to it, is unknown. */
export function unknownAlong(props: unknown, path: readonly (string | number)[]): boolean {
  let cur: unknown = props;
  if (isUnknownValue(cur)) return true;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return false;
    cur = (cur as Record<string | number, unknown>)[seg];
    if (isUnknownValue(cur)) return true;
  }
  // A list that holds an unknown element is itself not fully known.
  return Array.isArray(cur) && cur.some(isUnknownValue);
}
