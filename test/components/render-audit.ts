/** Reads a rendering back through the audit adapters and audits it. */
import type { AuditOptions } from "../../src/engine/audit";
import { audit } from "../../src/engine/audit";
import type { Finding } from "../../src/engine/finding";
import type { RenderedFile } from "../../src/render/compose";
import { loadComposeFile } from "../../src/sources/compose-file";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";

export function auditRendering(
  files: readonly RenderedFile[],
  options: AuditOptions,
): { findings: Finding[]; errors: string[] } {
  const compose = files.find((f) => f.path === "compose.yaml");
  const kube = files.find((f) => f.path === "kubernetes.yaml");
  const loaded = compose
    ? loadComposeFile("compose.yaml", compose.content)
    : kube
      ? loadKubernetesFile("kubernetes.yaml", kube.content)
      : undefined;
  if (!loaded) throw new Error("no compose.yaml or kubernetes.yaml in the rendering");
  return {
    findings: audit(loaded.resources, options),
    errors: loaded.errors.map((e) => `${e.file}:${e.line}: ${e.message}`),
  };
}
