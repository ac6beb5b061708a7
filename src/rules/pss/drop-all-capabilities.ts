/**
 * Why: even the runtime's default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW on some
 * runtimes…) are more than most programs need. The restricted standard (check
 * `capabilities_restricted`, 1.22+) requires every container, init and ephemeral ones
 * included, to list `ALL` in `capabilities.drop` and to add back nothing but
 * NET_BIND_SERVICE. Names are compared exactly for Kubernetes; Docker accepts any case and a
 * `CAP_` prefix, so Docker names are normalized. Since 1.25 Windows pods are exempt.
 * The automatic fix adds ALL to the drop list; extra added capabilities are left to a human.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { capabilityName, containerField, describeContainer, isWindowsPod, quote } from "./effective";

export const dropAllCapabilities = defineRule({
  id: "drop-all-capabilities",
  title: "Containers drop all capabilities and add back only NET_BIND_SERVICE",
  severity: "medium",
  rationale:
    "Every capability left to a container is kernel privilege an attacker inherits; dropping all of them and adding back only what is needed shrinks what a compromise can do.",
  remediation:
    "Add ALL to securityContext.capabilities.drop (Docker: `cap_drop: [ALL]`) and remove every added capability except NET_BIND_SERVICE.",
  references: {
    pss: ["capabilities_restricted"],
    cis: ["5.4"],
    kics: ["ce76b7d0-9e77-464d-b86f-c5c48e03e22d"],
    checkov: ["CKV_K8S_37", "CKV_K8S_28"],
    polaris: ["insecureCapabilities"],
    kubeLinter: ["drop-net-raw-capability"],
  },
  pssLevel: "restricted",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w) {
    if (isWindowsPod(w)) return [];
    const out: Violation[] = [];
    w.containers.forEach((c, i) => {
      const caps = c.securityContext.capabilities;
      const drop = (caps?.drop ?? []).map((name) => capabilityName(w, name));
      if (!drop.includes("ALL")) {
        const path = containerField(i, "securityContext.capabilities.drop");
        // The NET_RAW checks answer only a container that keeps NET_RAW.
        const keepsNetRaw = !drop.includes("NET_RAW");
        out.push({
          path,
          message: `${describeContainer(c)} does not drop ALL capabilities; add ALL to securityContext.capabilities.drop`,
          fix: [{ op: "add-to-list", path, value: "ALL" }],
          references: {
            checkov: keepsNetRaw ? ["CKV_K8S_37", "CKV_K8S_28"] : ["CKV_K8S_37"],
            kubeLinter: keepsNetRaw ? ["drop-net-raw-capability"] : [],
          },
        });
      }
      (caps?.add ?? []).forEach((raw, j) => {
        if (capabilityName(w, raw) === "NET_BIND_SERVICE") return;
        out.push({
          path: containerField(i, `securityContext.capabilities.add.${j}`),
          message: `${describeContainer(c)} adds capability ${quote(raw)}; the restricted level allows only NET_BIND_SERVICE`,
          references: { checkov: ["CKV_K8S_37"], kubeLinter: [] },
        });
      });
    });
    return out;
  },
});
