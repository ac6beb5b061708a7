import type { Origin, Resource, ResourceKind } from "../../model";
import { modelKindOf } from "../kubernetes/kinds";
import type { Obj } from "../kubernetes/values";
import { DOCKER_CONTAINER_TYPE, dockerContainerToWorkload } from "./docker-container";
import { DOCKER_NETWORK_TYPE, DOCKER_VOLUME_TYPE, dockerNetwork, dockerVolume } from "./docker-objects";
import { kubernetesKind, kubernetesPropsToResource } from "./kubernetes";
import { unwrapPolicyProps } from "./unknown";

export { kubernetesKind } from "./kubernetes";
export { isUnknownValue, unknownAlong, unwrapPolicyProps } from "./unknown";

/** A resource as the Pulumi engine describes it to policies. */
export interface PulumiResourceInput {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

/** The model kind a Pulumi resource type maps to, from the type token alone. */
export function modelKindOfPulumiType(type: string): ResourceKind | undefined {
  switch (type) {
    case DOCKER_CONTAINER_TYPE:
      return "workload";
    case DOCKER_NETWORK_TYPE:
      return "network";
    case DOCKER_VOLUME_TYPE:
      return "volume";
    default: {
      const kind = kubernetesKind(type);
      return kind === undefined ? undefined : modelKindOf(kind);
    }
  }
}

/**
 * Maps a Pulumi resource (`@pulumi/docker`, `@pulumi/kubernetes`) to a model object, or
 * `undefined` for types the rules have nothing to say about. Findings point at the URN.
 */
export function fromPulumiResource(input: PulumiResourceInput): Resource | undefined {
  const props = unwrapPolicyProps(input.props) as Obj;
  const location = { file: input.urn, line: 1, column: 1 };
  const origin: Origin = { format: "pulumi", file: input.urn, location, locations: new Map() };
  switch (input.type) {
    case DOCKER_CONTAINER_TYPE:
      return dockerContainerToWorkload(props, input.name, origin);
    case DOCKER_NETWORK_TYPE:
      return dockerNetwork(props, input.name, origin);
    case DOCKER_VOLUME_TYPE:
      return dockerVolume(props, input.name, origin);
    default:
      return input.type.startsWith("kubernetes:")
        ? kubernetesPropsToResource(input.type, props, input.name, origin)
        : undefined;
  }
}
