import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  fromPulumiResource,
  isUnknownValue,
  modelKindOfPulumiType,
  unwrapPolicyProps,
} from "../adapters/pulumi";
import { DOCKER_CONTAINER_TYPE } from "../adapters/pulumi/docker-container";
import { describe, type Workload } from "../model";
import { severityRank } from "../rules/rule";
import { EXEMPTIONS_SCHEMA } from "./exemptions-schema";
import { matchesImageGlob, type NamedImage, namedImage, sameImage } from "./image-identity";
import { type Exemption, findExemption, type PolicyPackOptions } from "./options";

export const IMAGE_VERIFICATION_POLICY = "image-not-verified";

/** Props in which evidence resources name the image they scanned or signed. */
const IMAGE_PROPS = ["image", "imageRef", "imageName", "digest", "repoDigest"] as const;

interface ImageVerificationConfig {
  exemptions?: Exemption[];
  verifiedImages?: string[];
  imageEvidenceTypes?: string[];
}

/**
 * Whether a resource is, or sits under, an evidence type. A check that records its verdict
 * (`passed`, as ImageScan's scan does; `verified`, as SignedImage's verification does) and did not pass is never evidence, nor is anything under it.
 */
function isEvidence(r: PolicyResource, types: ReadonlySet<string>): boolean {
  let evidence = false;
  for (let x: PolicyResource | undefined = r; x; x = x.parent) {
    const props = unwrapPolicyProps(x.props);
    if (props.passed === false || props.verified === false) return false;
    if (types.has(x.type)) evidence = true;
  }
  return evidence;
}

/** The images the stack's evidence names, and whether some of its names are unknown at preview. */
function namedByEvidence(evidence: readonly PolicyResource[]): { images: NamedImage[]; unknown: boolean } {
  const images: NamedImage[] = [];
  let unknown = false;
  for (const r of evidence) {
    const props = unwrapPolicyProps(r.props);
    for (const key of IMAGE_PROPS) {
      const value = props[key];
      if (isUnknownValue(value)) unknown = true;
      else if (typeof value === "string") {
        const named = namedImage(value);
        if (named) images.push(named);
      }
    }
  }
  return { images, unknown };
}

/**
 * The top-level prop a workload's images live in, whose property dependencies can vouch for
 * them: `image` of a docker.Container, `spec` of a Kubernetes workload (the pod template of
 * every kind sits under it).
 */
function imageProp(type: string): string {
  return type === DOCKER_CONTAINER_TYPE ? "image" : "spec";
}

/**
 * A container whose image has no scan or signature evidence in the stack: nothing of an
 * evidence type (SignedImage, ImageScan, ImageSignature, or the stack's own scanner and signer
 * resources) that the image depends on or that names it, and no `verifiedImages` glob for
 * images a pipeline verifies before they can be pulled. Only the graph shows this, so it is a
 * stack policy. Images and evidence not known at preview are skipped, never guessed.
 */
export function imageVerificationPolicy(options: PolicyPackOptions): StackValidationPolicy {
  const belowMinimum = severityRank("medium") < severityRank(options.minSeverity);
  return {
    name: IMAGE_VERIFICATION_POLICY,
    description: "Container images are scanned or signed before they run",
    displayName: "Image not scanned or signed",
    severity: "medium",
    enforcementLevel: options.levels[IMAGE_VERIFICATION_POLICY] ?? (belowMinimum ? "disabled" : "advisory"),
    remediationSteps:
      "Make the container's image an output of the resource that scans or signs it (for example a command that runs a scanner) and list that resource's type in imageEvidenceTypes, or, when CI scans and signs every image before pushing it, list the registry path in verifiedImages.",
    tags: ["shipshape", "supply-chain"],
    configSchema: {
      properties: {
        ...EXEMPTIONS_SCHEMA.properties,
        verifiedImages: {
          type: "array",
          items: { type: "string" },
          default: options.verifiedImages,
          description:
            "Globs of image references a pipeline scans and signs before they exist (* = any run).",
        },
        imageEvidenceTypes: {
          type: "array",
          items: { type: "string" },
          default: options.imageEvidenceTypes,
          description: "Resource types that are scan or signature evidence for the images they feed or name.",
        },
      },
    },
    validateStack: (args, report) => {
      const config = args.getConfig<ImageVerificationConfig>();
      const verifiedImages = config.verifiedImages ?? options.verifiedImages;
      const evidenceTypes = new Set(config.imageEvidenceTypes ?? options.imageEvidenceTypes);
      const exemptions = [...options.exemptions, ...(config.exemptions ?? [])];
      const evidence = args.resources.filter((r) => isEvidence(r, evidenceTypes));
      const named = namedByEvidence(evidence);

      for (const r of args.resources) {
        if (modelKindOfPulumiType(r.type) !== "workload") continue;
        const resource = fromPulumiResource(r);
        if (resource?.kind !== "workload") continue;
        if (findExemption(exemptions, IMAGE_VERIFICATION_POLICY, r)) continue;
        const dependsOnEvidence = (r.propertyDependencies[imageProp(r.type)] ?? []).some((d) =>
          isEvidence(d, evidenceTypes),
        );
        // `image` of a container is fed by the dependency itself; `spec` holds every container,
        // so there a dependency can only vouch for a workload that runs one image.
        const images = new Set(resource.containers.flatMap((c) => (c.image ? [c.image.raw] : [])));
        const vouched = dependsOnEvidence && (r.type === DOCKER_CONTAINER_TYPE || images.size === 1);
        resource.containers.forEach((c, i) => {
          const image = c.image;
          if (!image || resource.isUnknown?.(`containers.${i}.image`)) return;
          if (vouched || matchesImageGlob(image, verifiedImages)) return;
          if (named.images.some((e) => sameImage(image, e))) return;
          // An evidence name still unknown at preview may be this image: undecided, not reported.
          if (named.unknown) return;
          report(
            `${containerLabel(r, resource, c.name)} uses image ${image.raw} with no scan or signature evidence: nothing of type ${[...evidenceTypes].join(", ") || "(none configured)"} feeds or names it, and no verifiedImages glob matches it`,
            r.urn,
          );
        });
      }
    },
  };
}

function containerLabel(r: PolicyResource, workload: Workload, container: string): string {
  return r.type === DOCKER_CONTAINER_TYPE
    ? `container ${r.name}`
    : `container ${container} of ${describe(workload)}`;
}
