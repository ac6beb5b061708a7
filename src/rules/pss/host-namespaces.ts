/**
 * Why: sharing the host's network, PID or IPC namespace lets a container see and talk to
 * everything else on the node. The standard (check `hostNamespaces`, unchanged since 1.0)
 * forbids `hostNetwork`, `hostPID` and `hostIPC` set to true; absent or false is fine.
 * Docker spells the host network `network_mode: host` (reported here too); its fourth host
 * namespace, UTS, has no Kubernetes field and no PSS check, so the Docker rule
 * `host-uts-namespace` (CIS 5.21) reports it instead of this one.
 */
import { defineRule, PlatformScope, type References, type Violation } from "../rule";

/** Each host namespace with the peers' check of that namespace alone. */
const FIELDS: readonly (readonly ["hostNetwork" | "hostPID" | "hostIPC", string, References])[] = [
  [
    "hostNetwork",
    "network",
    {
      cis: ["5.10"],
      kubeLinter: ["host-network"],
      checkov: ["CKV_K8S_19"],
      polaris: ["hostNetworkSet"],
      kics: ["071a71ff-f868-47a4-ac0b-3c59e4ab5443"],
    },
  ],
  [
    "hostPID",
    "process (PID)",
    {
      cis: ["5.16"],
      kubeLinter: ["host-pid"],
      checkov: ["CKV_K8S_17"],
      polaris: ["hostPIDSet"],
      kics: ["4f31dd9f-2cc3-4751-9b53-67e4af83dac0"],
    },
  ],
  [
    "hostIPC",
    "IPC",
    {
      cis: ["5.17"],
      kubeLinter: ["host-ipc"],
      checkov: ["CKV_K8S_18"],
      polaris: ["hostIPCSet"],
      kics: ["baa3890f-bed7-46f5-ab8f-1da8fc91c729"],
    },
  ],
];

export const hostNamespaces = defineRule({
  id: "host-namespaces",
  title: "Containers do not share the host's namespaces",
  severity: "high",
  rationale:
    "A pod in the host's network, PID or IPC namespace can sniff node traffic, reach services bound to localhost, signal or inspect every process on the node and read shared memory of other workloads.",
  remediation:
    "Remove hostNetwork, hostPID and hostIPC (or set them to false); for Docker drop `network_mode: host`, `pid: host` and `ipc: host`.",
  references: {
    pss: ["hostNamespaces"],
    cis: ["5.10", "5.16", "5.17"],
    kubeLinter: ["host-network", "host-pid", "host-ipc"],
    checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
    polaris: ["hostNetworkSet", "hostPIDSet", "hostIPCSet"],
    kics: [
      "071a71ff-f868-47a4-ac0b-3c59e4ab5443",
      "4f31dd9f-2cc3-4751-9b53-67e4af83dac0",
      "baa3890f-bed7-46f5-ab8f-1da8fc91c729",
    ],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    for (const [field, label, references] of FIELDS) {
      if (w[field] === true) {
        out.push({
          path: field,
          message: `${field}=true shares the host's ${label} namespace; remove it or set it to false`,
          references,
        });
      }
    }
    if (w.hostNetwork !== true && w.networkMode === "host") {
      out.push({
        path: "networkMode",
        message:
          'network mode "host" shares the host\'s network namespace; use a bridge or user-defined network',
        references: FIELDS[0]?.[2] as References,
      });
    }
    return out;
  },
});
