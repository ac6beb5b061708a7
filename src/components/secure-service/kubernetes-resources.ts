import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { kubernetesManifests, type Manifest } from "./kubernetes";
import { imageGate, type ServiceSpec } from "./spec";

export interface KubernetesResources {
  serviceAccount: k8s.core.v1.ServiceAccount;
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service | undefined;
  podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget | undefined;
  networkPolicy: k8s.networking.v1.NetworkPolicy | undefined;
}

/** The Kubernetes objects of a spec, children of `parent`. */
export function createKubernetesResources(spec: ServiceSpec, parent: pulumi.Resource): KubernetesResources {
  const m = kubernetesManifests(spec);
  const opts = { parent, dependsOn: imageGate(spec) };
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${spec.name}-sa`,
    withoutKind(m.serviceAccount),
    opts,
  );
  const deployment = new k8s.apps.v1.Deployment(spec.name, withoutKind(m.deployment), {
    ...opts,
    dependsOn: imageGate(spec, [serviceAccount]),
  });
  return {
    serviceAccount,
    deployment,
    service: m.service && new k8s.core.v1.Service(`${spec.name}-svc`, withoutKind(m.service), opts),
    podDisruptionBudget:
      m.podDisruptionBudget &&
      new k8s.policy.v1.PodDisruptionBudget(`${spec.name}-pdb`, withoutKind(m.podDisruptionBudget), opts),
    networkPolicy:
      m.networkPolicy &&
      new k8s.networking.v1.NetworkPolicy(`${spec.name}-netpol`, withoutKind(m.networkPolicy), opts),
  };
}

/** The provider sets apiVersion and kind itself; the rest of a manifest is the resource's args. */
// biome-ignore lint/suspicious/noExplicitAny: manifests are checked by their builder, not by the provider's types
function withoutKind(manifest: Manifest): any {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = manifest;
  return rest;
}
