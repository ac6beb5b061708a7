import type { Resource } from "../../model";
import type { Patch } from "../../rules/rule";
import { NO_NEW_PRIVILEGES } from "../docker/security-opts";
import { unwrapPolicyProps } from "./unknown";

type Obj = Record<string, unknown>;
type Path = (string | number)[];

/**
 * Copies plain objects and arrays; anything else (the policy SDK's `Secret` wrappers, assets)
 * is kept by reference so that remediated props stay what the engine expects.
 */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]));
  }
  return value;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function getIn(root: Obj, path: Path): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function setIn(root: Obj, path: Path, value: unknown): void {
  let cur: Record<string | number, unknown> = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      cur[seg] = value;
      return;
    }
    const next = cur[seg];
    if (next === null || typeof next !== "object") cur[seg] = typeof path[i + 1] === "number" ? [] : {};
    cur = cur[seg] as Record<string | number, unknown>;
  });
}

function editList(root: Obj, path: Path, edit: (list: unknown[]) => unknown[]): void {
  const current = getIn(root, path);
  setIn(root, path, edit(Array.isArray(current) ? [...current] : []));
}

function applyGeneric(props: Obj, path: Path, patch: Patch): void {
  switch (patch.op) {
    case "set":
      setIn(props, path, patch.value);
      return;
    case "remove": {
      const parent = getIn(props, path.slice(0, -1));
      const last = path[path.length - 1];
      if (parent && typeof parent === "object" && last !== undefined) {
        delete (parent as Record<string | number, unknown>)[last];
      }
      return;
    }
    case "add-to-list":
      editList(props, path, (l) => (l.some((x) => equal(x, patch.value)) ? l : [...l, patch.value]));
      return;
    case "remove-from-list":
      editList(props, path, (l) => l.filter((x) => !equal(x, patch.value)));
      return;
  }
}

const SECURITY = /^containers\.0\.securityContext\.(.+)$/;

/**
 * Docker props spell several security fields as `securityOpts` strings or under other names;
 * only fixes with an exact Docker spelling are applied. Returns false for anything else.
 */
function applyDocker(props: Obj, patch: Patch): boolean {
  const m = SECURITY.exec(patch.path);
  const field = m?.[1];
  if (patch.op === "set" && field === "privileged") {
    props.privileged = patch.value;
    return true;
  }
  if (patch.op === "set" && field === "readOnlyRootFilesystem") {
    props.readOnly = patch.value;
    return true;
  }
  if (patch.op === "set" && field === "allowPrivilegeEscalation" && patch.value === false) {
    editList(props, ["securityOpts"], (l) => [
      ...l.filter((o) => !String(o).startsWith("no-new-privileges")),
      NO_NEW_PRIVILEGES,
    ]);
    return true;
  }
  if (patch.op === "set" && (field === "seccompProfile" || field === "seccompProfile.type")) {
    // Removing `seccomp=unconfined` restores Docker's default profile.
    editList(props, ["securityOpts"], (l) => l.filter((o) => !/^seccomp[=:]unconfined$/.test(String(o))));
    return true;
  }
  if (patch.op === "set" && (field === "appArmorProfile" || field === "appArmorProfile.type")) {
    editList(props, ["securityOpts"], (l) => l.filter((o) => !/^apparmor[=:]unconfined$/.test(String(o))));
    return true;
  }
  if ((patch.op === "add-to-list" || patch.op === "remove-from-list") && field?.startsWith("capabilities.")) {
    const list = field === "capabilities.add" ? "adds" : "drops";
    applyGeneric(props, ["capabilities", list], patch);
    return true;
  }
  return false;
}

/**
 * Applies fixes to a copy of a Pulumi resource's props. Returns the new props, or `undefined`
 * when some fix has no faithful translation for this resource type (nothing is half-applied).
 */
export function patchPulumiProps(resource: Resource, props: Obj, patches: readonly Patch[]): Obj | undefined {
  const copy = copyPlain(unwrapPolicyProps(props)) as Obj;
  const isDocker = resource.kind === "workload" && resource.sourceKind === "docker-container";
  for (const patch of patches) {
    if (isDocker) {
      if (!applyDocker(copy, patch)) return undefined;
      continue;
    }
    const path = resource.origin.sourcePath?.(patch.path);
    if (!path) return undefined;
    applyGeneric(copy, path, patch);
  }
  return copy;
}
