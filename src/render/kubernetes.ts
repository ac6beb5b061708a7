import { stringify } from "yaml";
import type { KubernetesManifests, Manifest } from "../components/secure-service/kubernetes";
import type { RenderedFile } from "./compose";

/** The manifests of every service, in apply order, as one multi-document YAML file. */
export function kubernetesFiles(all: KubernetesManifests[]): RenderedFile[] {
  const docs: Manifest[] = [];
  for (const m of all) {
    docs.push(m.serviceAccount);
    if (m.networkPolicy) docs.push(m.networkPolicy);
    docs.push(m.deployment);
    if (m.service) docs.push(m.service);
    if (m.podDisruptionBudget) docs.push(m.podDisruptionBudget);
  }
  const header = "# Rendered by `shipshape render --to kubernetes`; apply with `kubectl apply -f`.\n";
  const body = docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n");
  return [{ path: "kubernetes.yaml", content: header + body }];
}
