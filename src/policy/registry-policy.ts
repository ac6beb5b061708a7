import type { ResourceValidationPolicy } from "@pulumi/policy";
import { fromPulumiResource } from "../adapters/pulumi";
import type { PolicyPackOptions } from "./options";

export const IMAGE_REGISTRY_POLICY = "image-registry-allowed";

/** Docker Hub is what an image reference without a registry host means. */
const DEFAULT_REGISTRY = "docker.io";

/**
 * Images must come from an allowed registry. The list is configuration, so this is a policy of
 * the pack rather than a rule of the catalog (rules are pure functions of the model).
 */
export function imageRegistryPolicy(options: PolicyPackOptions): ResourceValidationPolicy {
  return {
    name: IMAGE_REGISTRY_POLICY,
    description: "Container images come from an allowed registry",
    displayName: "Allowed image registries",
    severity: "high",
    enforcementLevel:
      options.levels[IMAGE_REGISTRY_POLICY] ??
      (options.allowedRegistries.length > 0 ? "mandatory" : "disabled"),
    remediationSteps:
      "Pull the image through one of the allowed registries, or add its registry to allowedRegistries.",
    tags: ["shipshape", "supply-chain"],
    configSchema: {
      properties: {
        allowedRegistries: {
          type: "array",
          items: { type: "string" },
          default: options.allowedRegistries,
          description: "Registry hosts images may come from (docker.io for Docker Hub).",
        },
      },
    },
    validateResource: (args, report) => {
      const resource = fromPulumiResource(args);
      if (resource?.kind !== "workload") args.notApplicable("not a workload");
      const { allowedRegistries = [] } = args.getConfig<{ allowedRegistries?: string[] }>();
      if (allowedRegistries.length === 0) args.notApplicable("no registry allow-list configured");
      const workload = resource as Extract<typeof resource, { kind: "workload" }>;
      workload.containers.forEach((c, i) => {
        if (!c.image || c.image.unparsed || workload.isUnknown?.(`containers.${i}.image`)) return;
        // An engine's own image ID is already on the host: it comes from no registry.
        if (c.image.engineImageId) return;
        const registry = c.image.registry ?? DEFAULT_REGISTRY;
        if (!allowedRegistries.includes(registry)) {
          report(
            `container ${c.name} uses image ${c.image.raw} from ${registry}, which is not in allowedRegistries (${allowedRegistries.join(", ")})`,
          );
        }
      });
    },
  };
}
