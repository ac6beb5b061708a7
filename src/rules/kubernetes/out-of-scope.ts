/**
 * Checks of kube-linter, checkov and Polaris that shipshape deliberately does not implement,
 * each with the reason. Security checks that a rule covers are on that rule's `references`
 * (the PSS rules included); everything else those tools ship is listed here.
 */
import type { OutOfScope } from "../out-of-scope";

const PSP_REMOVED =
  "PodSecurityPolicy was removed in Kubernetes 1.25; the same controls are the Pod Security Standards rules, applied to workloads.";
const AVAILABILITY =
  "An availability or scheduling preference, not a security control; shipshape audits security.";
const NOT_MODELLED_INGRESS =
  "Ingress objects are not read by shipshape; TLS and exposure at the edge belong to the ingress controller's own policy.";
const CORRECTNESS =
  "A manifest correctness check (it breaks deployments, not security); kubectl apply --dry-run=server and kube-linter catch it.";

function kubeLinter(id: string, title: string, reason: string): OutOfScope {
  return { framework: "kubeLinter", id, title, reason };
}
function checkov(id: string, title: string, reason: string): OutOfScope {
  return { framework: "checkov", id, title, reason };
}
function polaris(id: string, title: string, reason: string): OutOfScope {
  return { framework: "polaris", id, title, reason };
}

export const kubernetesOutOfScope: readonly OutOfScope[] = [
  // kube-linter
  kubeLinter("dangling-service", "Service selects no workload", CORRECTNESS),
  kubeLinter("dangling-ingress", "Ingress points at no Service", CORRECTNESS),
  kubeLinter("dangling-networkpolicy", "NetworkPolicy selects no workload", CORRECTNESS),
  kubeLinter("dangling-networkpolicypeer-podselector", "NetworkPolicy peer selects no workload", CORRECTNESS),
  kubeLinter("dangling-horizontalpodautoscaler", "HPA targets a missing workload", CORRECTNESS),
  kubeLinter("dangling-servicemonitor", "ServiceMonitor selects no Service", CORRECTNESS),
  kubeLinter("deprecated-service-account-field", "Uses the deprecated serviceAccount field", CORRECTNESS),
  kubeLinter("duplicate-env-var", "Duplicate environment variable names", CORRECTNESS),
  kubeLinter("invalid-target-ports", "Port names violate the naming rules", CORRECTNESS),
  kubeLinter("liveness-port", "Liveness probe targets an unexposed port", CORRECTNESS),
  kubeLinter("readiness-port", "Readiness probe targets an unexposed port", CORRECTNESS),
  kubeLinter("startup-port", "Startup probe targets an unexposed port", CORRECTNESS),
  kubeLinter("mismatching-selector", "Controller selector does not match its pod template", CORRECTNESS),
  kubeLinter(
    "non-existent-service-account",
    "Pod names a ServiceAccount that is not in the manifests",
    CORRECTNESS,
  ),
  kubeLinter("no-extensions-v1beta", "Uses removed extensions/v1beta APIs", CORRECTNESS),
  kubeLinter("no-anti-affinity", "Replicas without pod anti-affinity", AVAILABILITY),
  kubeLinter("no-node-affinity", "No node affinity", AVAILABILITY),
  kubeLinter("minimum-three-replicas", "Fewer than three replicas", AVAILABILITY),
  kubeLinter("hpa-minimum-three-replicas", "HPA minReplicas below three", AVAILABILITY),
  kubeLinter("no-rolling-update-strategy", "Deployment without rolling updates", AVAILABILITY),
  kubeLinter("pdb-max-unavailable", "PodDisruptionBudget maxUnavailable blocks evictions", AVAILABILITY),
  kubeLinter("pdb-min-available", "PodDisruptionBudget minAvailable blocks evictions", AVAILABILITY),
  kubeLinter(
    "pdb-unhealthy-pod-eviction-policy",
    "PodDisruptionBudget without unhealthyPodEvictionPolicy",
    AVAILABILITY,
  ),
  kubeLinter("dnsconfig-options", "Pod without dnsConfig options", AVAILABILITY),
  kubeLinter(
    "required-annotation-email",
    "Owner email annotation",
    "An organisational labelling convention, not a security control.",
  ),
  kubeLinter(
    "required-label-owner",
    "Owner label",
    "An organisational labelling convention, not a security control.",
  ),
  kubeLinter(
    "privileged-ports",
    "Container ports below 1024",
    "A port inside the pod's own network namespace grants nothing; binding it needs NET_BIND_SERVICE, which drop-all-capabilities governs, and host-side ports are host-ports.",
  ),
  kubeLinter(
    "scc-deny-privileged-container",
    "OpenShift SecurityContextConstraints allow privileged containers",
    "OpenShift SecurityContextConstraints are not read; the privileged-container rule checks the workloads themselves.",
  ),
  // checkov
  checkov("CKV_K8S_1", "PodSecurityPolicy allows host PID", PSP_REMOVED),
  checkov("CKV_K8S_2", "PodSecurityPolicy allows privileged containers", PSP_REMOVED),
  checkov("CKV_K8S_3", "PodSecurityPolicy allows host IPC", PSP_REMOVED),
  checkov("CKV_K8S_4", "PodSecurityPolicy allows host network", PSP_REMOVED),
  checkov("CKV_K8S_5", "PodSecurityPolicy allows privilege escalation", PSP_REMOVED),
  checkov("CKV_K8S_6", "PodSecurityPolicy admits root containers", PSP_REMOVED),
  checkov("CKV_K8S_7", "PodSecurityPolicy admits NET_RAW", PSP_REMOVED),
  checkov("CKV_K8S_24", "PodSecurityPolicy allows added capabilities", PSP_REMOVED),
  checkov("CKV_K8S_32", "PodSecurityPolicy default seccomp profile", PSP_REMOVED),
  checkov("CKV_K8S_36", "PodSecurityPolicy allows capabilities", PSP_REMOVED),
  checkov(
    "CKV_K8S_29",
    "Pod securityContext is set",
    "The presence of a securityContext proves nothing; the Pod Security Standards rules check the fields in it that matter.",
  ),
  checkov(
    "CKV_K8S_30",
    "Container securityContext is set",
    "The presence of a securityContext proves nothing; the Pod Security Standards rules check the fields in it that matter.",
  ),
  checkov(
    "CKV_K8S_33",
    "Kubernetes dashboard is deployed",
    "Matching a product by image name is an inventory policy; the dashboard's risk (its service account's permissions, exposure) is reported by the RBAC and Service rules.",
  ),
  checkov(
    "CKV_K8S_34",
    "Tiller (Helm v2) is deployed",
    "Helm v2 has been unsupported since 2020; detecting it by image name is an inventory policy.",
  ),
  checkov(
    "CKV_K8S_44",
    "Tiller Service exists",
    "Helm v2 has been unsupported since 2020; detecting it by name is an inventory policy.",
  ),
  checkov(
    "CKV_K8S_45",
    "Tiller is reachable in the cluster",
    "Helm v2 has been unsupported since 2020; detecting it by name is an inventory policy.",
  ),
  checkov(
    "CKV_K8S_68…CKV_K8S_151",
    "Control-plane component flags (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet arguments and AdmissionConfiguration)",
    "These audit how the cluster itself is run, not the workloads deployed on it; use a CIS Kubernetes node/control-plane scanner (kube-bench) on the nodes.",
  ),
  checkov("CKV_K8S_152", "NGINX Ingress snippet annotations with Lua", NOT_MODELLED_INGRESS),
  checkov("CKV_K8S_153", "NGINX Ingress snippet annotations", NOT_MODELLED_INGRESS),
  checkov("CKV_K8S_154", "NGINX Ingress snippet annotations with alias", NOT_MODELLED_INGRESS),
  checkov(
    "CKV2_K8S_4",
    "Subjects that can modify services/status (CVE-2020-8554)",
    "The other half of CVE-2020-8554 is reported by service-external-ips; the services/status path is closed by admission control (DenyServiceExternalIPs and an external-IP policy), not by manifests.",
  ),
  // Polaris
  polaris("tlsSettingsMissing", "Ingress without TLS", NOT_MODELLED_INGRESS),
  polaris(
    "sensitiveConfigmapContent",
    "Secrets in ConfigMap data",
    "ConfigMaps are not read by shipshape; scanning arbitrary data for credentials is the job of a dedicated secret scanner.",
  ),
  polaris("deploymentMissingReplicas", "Deployment with a single replica", AVAILABILITY),
  polaris("priorityClassNotSet", "No priorityClassName", AVAILABILITY),
  polaris(
    "metadataAndInstanceMismatched",
    "Labels name and instance differ",
    "A labelling convention, not a security control.",
  ),
  polaris("pdbDisruptionsIsZero", "PodDisruptionBudget allows no disruptions", AVAILABILITY),
  polaris("missingPodDisruptionBudget", "No PodDisruptionBudget", AVAILABILITY),
  polaris("topologySpreadConstraint", "No topology spread constraint", AVAILABILITY),
  polaris("hpaMaxAvailability", "HPA maxReplicas not above minReplicas", AVAILABILITY),
  polaris("hpaMinAvailability", "HPA minReplicas below two", AVAILABILITY),
  polaris(
    "pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas",
    "PodDisruptionBudget minAvailable at or above HPA minReplicas",
    AVAILABILITY,
  ),
];
