import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";

const claims = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: on-encrypted, namespace: shop }
spec: { storageClassName: encrypted-ssd, resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: on-standard, namespace: shop }
spec: { storageClassName: standard, resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: on-default, namespace: shop }
spec: { resources: { requests: { storage: 1Gi } } }
`;

function findings(parameters?: Record<string, string>) {
  const source = loadKubernetesFile("claims.yaml", claims);
  expect(source.errors).toEqual([]);
  return audit(source.resources, {
    only: ["pvc-unencrypted-storage-class"],
    ...(parameters ? { parameters: { "pvc-unencrypted-storage-class": parameters } } : {}),
  });
}

describe("pvc-unencrypted-storage-class", () => {
  it("passes claims on a class listed as encrypted and reports the others, the default class included", () => {
    const found = findings({ encryptedStorageClasses: "gp3-kms, encrypted-ssd" });
    expect(found.map((f) => f.object)).toEqual([
      "PersistentVolumeClaim shop/on-standard",
      "PersistentVolumeClaim shop/on-default",
    ]);
    expect(found[0]?.message).toMatch(/"standard" is not listed as encrypted.*gp3-kms, encrypted-ssd/);
    expect(found[1]?.message).toMatch(/names no storage class/);
  });

  it("reports every claim when no class is listed", () => {
    expect(findings().map((f) => f.object)).toHaveLength(3);
  });
});
