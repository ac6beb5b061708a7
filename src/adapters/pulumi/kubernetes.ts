import type { Origin, Resource } from "../../model";
import { kindReading } from "../kubernetes/kinds";
import { mapObject } from "../kubernetes/objects";
import type { Obj } from "../kubernetes/values";
import { unknownAlong } from "./unknown";

const KUBERNETES_TYPE = /^kubernetes:([^:]+):([A-Za-z]+)$/;

/**
 * The Kubernetes kind of a Pulumi type token (`kubernetes:apps/v1:Deployment` → `Deployment`),
 * when shipshape reads that kind in that API group: a custom resource of the same name
 * (`kubernetes:serving.knative.dev/v1:Service`) is not a core Service.
 */
export function kubernetesKind(type: string): string | undefined {
  const m = KUBERNETES_TYPE.exec(type);
  // Patch resources and the provider itself describe no whole object.
  if (!m?.[1] || !m[2] || m[2].endsWith("Patch")) return undefined;
  // The core group is spelt `core/v1` in type tokens, `v1` in manifests.
  const apiVersion = m[1].startsWith("core/") ? m[1].slice("core/".length) : m[1];
  return kindReading(apiVersion, m[2]).as === "not-audited" ? undefined : m[2];
}

/** Maps the inputs of a `@pulumi/kubernetes` resource to a model object. */
export function kubernetesPropsToResource(
  type: string,
  props: Obj,
  name: string,
  origin: Origin,
): Resource | undefined {
  const kind = kubernetesKind(type);
  if (!kind) return undefined;
  const withName: Obj = { ...props, metadata: { name, ...((props.metadata as Obj | undefined) ?? {}) } };
  const mapped = mapObject(kind, withName, [], origin);
  if (!mapped) return undefined;
  origin.sourcePath = mapped.sourcePath;
  // Bound to a name first, so that it is allocated young (see `Origin.resolve`).
  const isUnknown = (modelPath: string) => {
    const path = mapped.sourcePath(modelPath);
    return path !== undefined && unknownAlong(props, path);
  };
  mapped.resource.isUnknown = isUnknown;
  return mapped.resource;
}
