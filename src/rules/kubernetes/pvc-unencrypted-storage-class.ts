/**
 * Why: a PersistentVolumeClaim's data lives wherever its storage class provisions it; whether
 * that is encrypted at rest is a property of the class (a CSI driver's or cloud disk's
 * encryption setting), which the claim cannot show. The rule makes the decision explicit: the
 * classes known to encrypt are listed in its parameter, and a claim on any other class (or on
 * the cluster's default class, by naming none) is reported.
 */

import { isUnknownPath, quote } from "../pss/effective";
import { defineRule, ParameterType, PlatformScope } from "../rule";

export const pvcUnencryptedStorageClass = defineRule({
  id: "pvc-unencrypted-storage-class",
  title: "Volume claims use a storage class listed as encrypted",
  severity: "medium",
  rationale:
    "A claim's data is only as protected as its storage class's disks: a class that does not encrypt at rest leaves the data readable to anyone with the disk, a snapshot or the node.",
  remediation:
    "Set `spec.storageClassName` to a class that encrypts at rest and list it in the rule's `encryptedStorageClasses` parameter (shipshape's EncryptedVolume takes it as `storageClass`).",
  references: {},
  targets: ["volume"],
  platforms: PlatformScope.Kubernetes,
  parameters: [
    {
      name: "encryptedStorageClasses",
      type: ParameterType.String,
      description:
        "Comma-separated storage classes this cluster encrypts at rest (e.g. `encrypted-ssd,gp3-kms`). Without it no class is known to encrypt, and every claim is reported.",
    },
  ],
  check(v, ctx) {
    if (v.sourceKind !== "PersistentVolumeClaim" || isUnknownPath(v, "storageClassName")) return [];
    const listed = String(ctx.parameters.encryptedStorageClasses ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const cls = v.storageClassName;
    if (cls !== undefined && listed.includes(cls)) return [];
    const known =
      listed.length > 0
        ? `the classes listed as encrypted are ${listed.join(", ")}`
        : "no storage class is listed as encrypted (parameter encryptedStorageClasses)";
    return [
      {
        path: "storageClassName",
        message:
          cls === undefined
            ? `the claim names no storage class, so it gets the cluster's default, not known to encrypt at rest; ${known}`
            : `the claim's storage class ${quote(cls)} is not listed as encrypted at rest; ${known}`,
      },
    ];
  },
});
