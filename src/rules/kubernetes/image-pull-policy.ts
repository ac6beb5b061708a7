/**
 * Why: with `IfNotPresent` or `Never` a node reuses whatever image it cached under that name,
 * so a pod can start without the registry checking that its service account may pull the
 * image (another tenant's private image is then usable by anyone on the node), and a retagged
 * image is not picked up. Kubernetes defaults to `Always` only for `latest`/untagged images.
 * Kubernetes only: Docker has no per-container pull policy in the model.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

export const imagePullPolicy = defineRule({
  id: "image-pull-policy",
  title: "Containers pull their image every time (`imagePullPolicy: Always`)",
  severity: "low",
  rationale:
    "A cached image skips the registry's credential check, so pods on a shared node can run private images they were never allowed to pull, and a retagged image is never fetched.",
  remediation: "Set `imagePullPolicy: Always` on every container.",
  references: {
    checkov: ["CKV_K8S_15"],
    polaris: ["pullPolicyNotAlways"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  fixable: true,
  check(w) {
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w, ["container", "init"])) {
      const policy = container.imagePullPolicy;
      if (policy === "Always") continue;
      // The API server defaults an absent policy to Always for untagged or `latest` images.
      const image = container.image;
      const defaultsToAlways = image !== undefined && !image.digest && (!image.tag || image.tag === "latest");
      if (policy === undefined && defaultsToAlways) continue;
      out.push({
        path: `${path}.imagePullPolicy`,
        message:
          policy === undefined
            ? `${containerLabel(container)} has no imagePullPolicy, which defaults to IfNotPresent for a tagged image; set it to Always`
            : `${containerLabel(container)} has imagePullPolicy ${policy}; set it to Always`,
        fix: [{ op: "set", path: `${path}.imagePullPolicy`, value: "Always" }],
      });
    }
    return out;
  },
});
