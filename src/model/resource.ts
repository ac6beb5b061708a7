import type { Build } from "./build";
import type {
  AccessBinding,
  AccessRole,
  Namespace,
  NetworkPolicy,
  Secret,
  Service,
  ServiceAccount,
} from "./cluster";
import type { DaemonConfig } from "./daemon";
import type { Network, Volume } from "./network";
import type { Workload } from "./workload";

/** Every kind of object the rules can look at. */
export type Resource =
  | Workload
  | Service
  | NetworkPolicy
  | ServiceAccount
  | Namespace
  | AccessRole
  | AccessBinding
  | Secret
  | Network
  | Volume
  | DaemonConfig
  | Build;

export type ResourceKind = Resource["kind"];
export type ResourceOfKind<K extends ResourceKind> = Extract<Resource, { kind: K }>;

/** All objects under audit together, for rules that need more than one object. */
export class Inventory {
  readonly resources: readonly Resource[];
  private readonly byKind = new Map<ResourceKind, Resource[]>();

  constructor(resources: readonly Resource[]) {
    this.resources = resources;
    for (const r of resources) {
      const list = this.byKind.get(r.kind) ?? [];
      list.push(r);
      this.byKind.set(r.kind, list);
    }
  }

  of<K extends ResourceKind>(kind: K): ResourceOfKind<K>[] {
    return (this.byKind.get(kind) ?? []) as ResourceOfKind<K>[];
  }

  private readonly byNamespace = new Map<ResourceKind, Map<string, Resource[]>>();

  /**
   * Objects of a kind in one namespace (an object without one is in `default`, as the API
   * server places it). Indexed on first use, so rules that relate objects stay linear.
   * A namespace without such objects gets one shared empty list.
   */
  inNamespace<K extends ResourceKind>(kind: K, namespace: string): readonly ResourceOfKind<K>[] {
    let index = this.byNamespace.get(kind);
    if (!index) {
      index = new Map();
      for (const r of this.of(kind)) {
        const ns = r.namespace ?? "default";
        const list = index.get(ns) ?? [];
        list.push(r);
        index.set(ns, list);
      }
      this.byNamespace.set(kind, index);
    }
    // One list per namespace, the same each time (rules cache what they derive from it).
    return (index.get(namespace) ?? NONE) as readonly ResourceOfKind<K>[];
  }
}

const NONE: readonly Resource[] = Object.freeze([]);
