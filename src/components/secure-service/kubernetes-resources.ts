import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesManifests, type Manifest } from "./kubernetes";
import { secretKey, secretValue } from "./secret-files";
import { imageGate, type ServiceSpec } from "./spec";

export interface KubernetesResources {
  serviceAccount: k8s.core.v1.ServiceAccount;
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service | undefined;
  podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget | undefined;
  networkPolicy: k8s.networking.v1.NetworkPolicy | undefined;
  secret: k8s.core.v1.Secret | undefined;
  /** The names the manifests give the objects (explicit, so the provider reports them back as they are). */
  names: {
    namespace: string | undefined;
    deployment: string;
    service: string | undefined;
    serviceAccount: string;
  };
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
  const secret = m.secret && createSecret(spec, m, opts);
  const deployment = new k8s.apps.v1.Deployment(spec.name, withoutKind(m.deployment), {
    ...opts,
    dependsOn: imageGate(spec, secret ? [serviceAccount, secret] : [serviceAccount]),
  });
  return {
    serviceAccount,
    deployment,
    secret,
    names: {
      namespace: m.deployment.metadata.namespace,
      deployment: m.deployment.metadata.name,
      service: m.service?.metadata.name,
      serviceAccount: m.serviceAccount.metadata.name,
    },
    service: m.service && new k8s.core.v1.Service(`${spec.name}-svc`, withoutKind(m.service), opts),
    podDisruptionBudget:
      m.podDisruptionBudget &&
      new k8s.policy.v1.PodDisruptionBudget(`${spec.name}-pdb`, withoutKind(m.podDisruptionBudget), opts),
    networkPolicy:
      m.networkPolicy &&
      new k8s.networking.v1.NetworkPolicy(`${spec.name}-netpol`, withoutKind(m.networkPolicy), opts),
  };
}

/**
 * The Secret of the service's secret files, auto-named from `<service>-secrets` and immutable: a
 * changed value is a new Secret, and the Deployment, which names it, rolls. Every value is a
 * Pulumi secret. The manifest's pod template is pointed at the Secret's actual name.
 */
function createSecret(
  spec: ServiceSpec,
  m: ReturnType<typeof kubernetesManifests>,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  const manifest = m.secret as Manifest;
  const { name: _name, ...metadata } = manifest.metadata;
  const stringData = Object.fromEntries(
    spec.secretFiles.map((f) => [secretKey(f), secretValue(spec.name, f)]),
  );
  const secret = new k8s.core.v1.Secret(
    manifest.metadata.name,
    { metadata, type: manifest.type, immutable: true, stringData },
    { ...opts, additionalSecretOutputs: ["stringData", "data"] },
  );
  type Volume = { secret?: { secretName: unknown } };
  const podSpec = m.deployment.spec.template.spec as { volumes: Volume[] | pulumi.Output<Volume[]> };
  if (Array.isArray(podSpec.volumes)) {
    for (const volume of podSpec.volumes) if (volume.secret) volume.secret.secretName = secret.metadata.name;
  } else {
    // With EncryptedVolumes mounted by reference the volume list is an Output.
    podSpec.volumes = pulumi
      .all([podSpec.volumes, secret.metadata.name])
      .apply(([volumes, secretName]) =>
        volumes.map((v) => (v.secret ? { ...v, secret: { ...v.secret, secretName } } : v)),
      );
  }
  return secret;
}

/** The provider sets apiVersion and kind itself; the rest of a manifest is the resource's args. */
// biome-ignore lint/suspicious/noExplicitAny: manifests are checked by their builder, not by the provider's types
function withoutKind(manifest: Manifest): any {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = manifest;
  return rest;
}
