import * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import type { Target } from "../target";
import { DNS_LABEL } from "../validation/fields";
import type { ArgsIssue } from "../validation/issues";
import type { SecureServiceArgs } from "./args";

/** A SegmentedNetworks membership, checked: the networks resolve when the topology's do. */
export interface SegmentSpec {
  service: string;
  /** Docker: the networks the service joins (fails when it resolves without this service). */
  networks: pulumi.Output<string[]>;
}

/** Checks `segment` (plain `service`, `networks` given, not with docker.networks). */
export function checkSegment(
  name: string,
  args: SecureServiceArgs,
  target: Target,
  issues: ArgsIssue[],
): SegmentSpec | undefined {
  const s = args.segment as unknown;
  if (s === undefined) return undefined;
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    issues.push({
      path: "segment",
      value: s,
      message: "segment must be an object, e.g. segment: { networks: segments.attachments }",
    });
    return undefined;
  }
  const given = s as Record<string, unknown>;
  const unknownKeys = Object.keys(given).filter((k) => k !== "networks" && k !== "service");
  if (unknownKeys.length > 0)
    issues.push({
      path: "segment",
      value: s,
      message: `unknown field(s) ${unknownKeys.join(", ")}; check the spelling against SegmentMembershipArgs`,
    });
  if (given.networks === undefined || given.networks === null)
    issues.push({
      path: "segment.networks",
      value: given.networks,
      message: "give the SegmentedNetworks' attachments output: segment: { networks: segments.attachments }",
    });
  const service = given.service ?? name;
  if (typeof service !== "string" || !DNS_LABEL.test(service) || service.length > 63)
    issues.push({
      path: "segment.service",
      value: service,
      message:
        'segment.service is the service\'s name in the topology, a plain DNS label known when the program runs (e.g. "api")',
    });
  if (target.kind === PlatformKind.Docker && target.networks.length > 0)
    issues.push({
      path: "docker.networks",
      value: target.networks,
      message: "a service joins either docker.networks or a segment, not both: leave docker.networks out",
    });
  if (target.kind === PlatformKind.Kubernetes && service !== name)
    issues.push({
      path: "segment.service",
      value: service,
      message: `on Kubernetes the topology's policies select pods by app.kubernetes.io/name, which is the SecureService's name: name the topology service "${name}" and leave segment.service out`,
    });
  if (issues.length > 0) return undefined;
  const networks = pulumi.output(given.networks as pulumi.Input<Record<string, string[]>>).apply((all) => {
    const mine = all?.[service as string];
    if (!Array.isArray(mine))
      throw new Error(
        `SecureService ${name}: segment.service "${String(service)}" is not a service of the SegmentedNetworks (it has ${Object.keys(
          all ?? {},
        )
          .map((k) => JSON.stringify(k))
          .join(", ")}); add it to the topology's services or set segment.service`,
      );
    return mine;
  });
  return { service: service as string, networks };
}
