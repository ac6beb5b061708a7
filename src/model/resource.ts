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
}
