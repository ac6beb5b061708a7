import * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import type { SecureServiceArgs } from "./args";
import { createDockerResources } from "./docker-resources";
import { createKubernetesResources } from "./kubernetes-resources";
import { buildServiceSpec } from "./spec";

/**
 * One hardened service: a Docker container per replica (on `docker`) or a Kubernetes
 * Deployment with its Service, ServiceAccount, NetworkPolicy and PodDisruptionBudget (on
 * `kubernetes`). Safe by default; every weakening is a named override with a reason recorded on
 * the resources. Providers come from the resource options (`provider` / `providers`).
 */
export class SecureService extends pulumi.ComponentResource {
  // The fields are declared, not class fields: the constructor defines them (see `plainOutput`).
  /** The image reference the service runs, checked. */
  declare readonly image: pulumi.Output<string>;
  /** Docker: the names of the containers, one per replica. Kubernetes: empty. */
  declare readonly containerNames: pulumi.Output<string[]>;
  /** Docker: the IDs of the containers. Kubernetes: empty. */
  declare readonly containerIds: pulumi.Output<string[]>;
  /** Docker: the service's own network, when it joins no named networks. */
  declare readonly networkName: pulumi.Output<string | undefined>;
  /** Kubernetes: the namespace of every object. */
  declare readonly namespace: pulumi.Output<string | undefined>;
  /** Kubernetes: the Deployment's name. */
  declare readonly deploymentName: pulumi.Output<string | undefined>;
  /** Kubernetes: the Service's name, when the service has ports. */
  declare readonly serviceName: pulumi.Output<string | undefined>;
  /** Kubernetes: the ServiceAccount the pods run as. */
  declare readonly serviceAccountName: pulumi.Output<string | undefined>;

  constructor(name: string, args: SecureServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const { spec, warnings } = buildServiceSpec(name, args);
    // The args are the component's inputs, as for any Pulumi component: `shipshape render`
    // reads them back from the program's registrations.
    super("shipshape:index:SecureService", name, recordedArgs(args), opts);
    for (const w of warnings) pulumi.log.warn(`SecureService ${name}: ${w}`, this);
    // What the component registers as its outputs, and each public field: a field that only
    // wraps a plain value gets it plainly (the SDK serializes both alike; an Output costs it a
    // chain of promises to resolve), and a field derived from a child's outputs is derived when
    // first read (see defineOutputField).
    const outputs: Record<Field, pulumi.Input<unknown>> = {
      image: spec.image,
      containerNames: [],
      containerIds: [],
      networkName: undefined,
      namespace: undefined,
      deploymentName: undefined,
      serviceName: undefined,
      serviceAccountName: undefined,
    };
    const derived: Partial<Record<Field, () => pulumi.Output<unknown>>> = {};
    if (spec.target.kind === PlatformKind.Docker) {
      const { containers, network, names } = createDockerResources(spec, this);
      // The containers and the network are named explicitly, and the provider reports those
      // names back: they are registered as they are, and each field's Output (which carries its
      // children) is made when the field is first read.
      outputs.containerNames = names.containers;
      derived.containerNames = () => listOutput(containers.map((c) => c.name));
      const ids = containers.map((c) => c.id);
      if (pulumi.runtime.isDryRun()) {
        // A child's ID can be unknown in a preview: the registered list is then unknown as a
        // whole (not a list with an unknown in it), as the field's Output says.
        outputs.containerIds = listOutput(ids);
      } else {
        // The outputs themselves: the SDK serializes them to the same list as the Output of it,
        // without a new Output and its promises.
        outputs.containerIds = ids;
        derived.containerIds = () => listOutput(ids);
      }
      if (network) {
        outputs.networkName = names.network;
        derived.networkName = () => network.name;
      }
    } else {
      // The same for the objects' names, which the manifests give explicitly: a lifted
      // `metadata.name` is an apply, dozens of the SDK's promises and a stack trace each.
      const { deployment, service, serviceAccount, names } = createKubernetesResources(spec, this);
      // Without a namespace of its own, an object's namespace is the provider's: only the child knows it.
      outputs.namespace = names.namespace ?? deployment.metadata.namespace;
      derived.namespace = () => deployment.metadata.namespace;
      outputs.deploymentName = names.deployment;
      derived.deploymentName = () => deployment.metadata.name;
      if (service) {
        outputs.serviceName = names.service;
        derived.serviceName = () => service.metadata.name;
      }
      outputs.serviceAccountName = names.serviceAccount;
      derived.serviceAccountName = () => serviceAccount.metadata.name;
    }
    for (const field of FIELDS) defineOutputField(this, field, derived[field] ?? outputs[field]);
    this.registerOutputs(outputs);
  }
}

type Field =
  | "image"
  | "containerNames"
  | "containerIds"
  | "networkName"
  | "namespace"
  | "deploymentName"
  | "serviceName"
  | "serviceAccountName";

/** The public fields, in the order they were always defined. */
const FIELDS: readonly Field[] = [
  "image",
  "containerNames",
  "containerIds",
  "networkName",
  "namespace",
  "deploymentName",
  "serviceName",
  "serviceAccountName",
];

/**
 * The list of the outputs' values, as `pulumi.all` makes it. One output (one replica, the usual
 * case) is mapped instead: the same value, secrecy and resources, for a third of the SDK's promises.
 */
function listOutput(outputs: pulumi.Output<string>[]): pulumi.Output<string[]> {
  const [only] = outputs;
  return outputs.length === 1 && only ? only.apply((value) => [value]) : pulumi.all(outputs);
}

/**
 * Defines a public field as an Output of `value`: an Output is kept as it is; a plain value is
 * wrapped in one, and a function (which derives the Output from a child's outputs) called, when
 * the field is first read. Most fields of most services are never read, and every Output costs
 * the SDK promises, a stack trace and GC, so the wrapping waits until someone asks. The field is
 * an own, enumerable, writable property either way, like a class field.
 */
function defineOutputField(
  target: object,
  field: Field,
  value: pulumi.Input<unknown> | (() => pulumi.Output<unknown>),
): void {
  if (pulumi.Output.isInstance(value)) {
    Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  Object.defineProperty(target, field, {
    enumerable: true,
    configurable: true,
    get() {
      const output = typeof value === "function" ? value() : pulumi.output(value);
      Object.defineProperty(target, field, {
        value: output,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return output;
    },
    set(replacement: unknown) {
      Object.defineProperty(target, field, {
        value: replacement,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    },
  });
}

/**
 * The args as the component records them. An environment value that resolves to nothing is
 * recorded as null: dropped silently, a reader of the inputs could not tell it was ever there.
 */
function recordedArgs(given: SecureServiceArgs): pulumi.Inputs {
  // Secret files are recorded as Pulumi secrets: ciphertext in the state, like the value itself.
  const args = given.secretFiles
    ? { ...given, secretFiles: given.secretFiles.map((f) => ({ ...f, value: pulumi.secret(f.value) })) }
    : given;
  if (!args.env) return { ...args };
  const env: Record<string, pulumi.Input<string | null>> = {};
  for (const [key, value] of Object.entries(args.env))
    env[key] = typeof value === "string" ? value : pulumi.output(value).apply((v) => v ?? null);
  return { ...args, env };
}
