/**
 * What each named override weakens: for every override, the rules it knowingly trips on each
 * platform. The override writes a suppression carrying its reason for each of them, so audits
 * show the decision instead of an unexplained finding, and only for rules that would fire, since
 * an unused suppression is itself reported. Rules are referred to as objects, so a renamed or
 * removed rule fails to compile instead of silently dropping a suppression.
 */
import { SUPPRESS_KEY_PREFIX } from "../../adapters/suppressions";
import { PlatformKind } from "../../platform/platform";
import { portsAllInterfaces } from "../../rules/docker/workload/ports-all-interfaces";
import { dockerSocketMount } from "../../rules/kubernetes/docker-socket-mount";
import { imageDigest } from "../../rules/kubernetes/image-digest";
import { imageLatestTag } from "../../rules/kubernetes/image-latest-tag";
import { missingNetworkPolicy } from "../../rules/kubernetes/missing-network-policy";
import { readOnlyRootFilesystem } from "../../rules/kubernetes/read-only-root-filesystem";
import { BASELINE_ALLOWED_CAPABILITIES, capabilitiesBaseline } from "../../rules/pss/capabilities-baseline";
import { dropAllCapabilities } from "../../rules/pss/drop-all-capabilities";
import { hostPathVolumes } from "../../rules/pss/host-path-volumes";
import { restrictedVolumeTypes } from "../../rules/pss/restricted-volume-types";
import type { Rule } from "../../rules/rule";
import { Capability, type SecureServiceOverrides } from "./args";

/** Annotation (Kubernetes) / label (Docker) key recording an override and its reason. */
export const OVERRIDE_KEY_PREFIX = "shipshape.io/override.";
export { SUPPRESS_KEY_PREFIX };

export type OverrideName = keyof SecureServiceOverrides;

export interface AppliedOverride {
  name: OverrideName;
  reason: string;
}

/** The facts of a service that decide which rules an override trips. */
export interface OverrideContext {
  kind: PlatformKind;
  capabilities: readonly Capability[];
  portCount: number;
  /** The image's tag when it is not pinned by digest (`undefined`: no tag, i.e. latest); `null` when pinned or not known yet. */
  imageTag: string | undefined | null;
}

/** For each override: the rules it weakens in a given context. */
export const OVERRIDE_RULES: Readonly<Record<OverrideName, (context: OverrideContext) => readonly Rule[]>> = {
  writableRootFilesystem: () => [readOnlyRootFilesystem],
  extraCapabilities: ({ capabilities }) => {
    const extra = capabilities.filter((c) => c !== Capability.NetBindService);
    if (extra.length === 0) return [];
    return extra.some((c) => !BASELINE_ALLOWED_CAPABILITIES.has(c))
      ? [dropAllCapabilities, capabilitiesBaseline]
      : [dropAllCapabilities];
  },
  publicBind: ({ kind, portCount }) =>
    kind === PlatformKind.Docker && portCount > 0 ? [portsAllInterfaces] : [],
  skipNetworkPolicy: ({ kind }) => (kind === PlatformKind.Kubernetes ? [missingNetworkPolicy] : []),
  engineSocket: ({ kind }) =>
    kind === PlatformKind.Docker ? [dockerSocketMount, hostPathVolumes, restrictedVolumeTypes] : [],
  mutableImageTag: ({ imageTag }) => {
    if (imageTag === null) return [];
    return imageTag === undefined || imageTag === "latest" ? [imageDigest, imageLatestTag] : [imageDigest];
  },
};

/**
 * The override keys with their reasons, for labels (Docker) or annotations (Kubernetes). With
 * `suppressions`, also the audit suppressions of the rules the overrides weaken: only for the
 * workload itself (container / Deployment), where those rules look.
 */
export function overrideRecords(
  overrides: readonly AppliedOverride[],
  context: OverrideContext,
  suppressions = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of overrides) {
    out[`${OVERRIDE_KEY_PREFIX}${o.name}`] = o.reason;
    if (!suppressions) continue;
    for (const rule of OVERRIDE_RULES[o.name](context)) {
      out[`${SUPPRESS_KEY_PREFIX}${rule.id}`] = `override ${o.name}: ${o.reason}`;
    }
  }
  return out;
}
