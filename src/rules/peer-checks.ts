/**
 * The checks of other tools that shipshape's rules cite, by framework and id, each with its
 * title and the platform it looks at. Written from each tool's published catalog (Kubernetes'
 * pod-security-admission library, CIS Docker Benchmark 1.6, kube-linter, Checkov, Polaris, KICS,
 * hadolint). A test holds every cited id to this list, so a rule cannot cite a check that does
 * not exist; the platform decides which ids a finding cites (a Compose finding does not answer
 * a Kubernetes check, nor a pod a Compose query).
 */
import type { References } from "./rule";

/** What a peer check looks at: Docker (Compose, Dockerfile, engine) or Kubernetes. */
export type PeerPlatform = "docker" | "kubernetes" | "both";

export interface PeerCheck {
  title: string;
  platform: PeerPlatform;
}

type Catalog = Record<string, PeerCheck>;

const k8s = (title: string): PeerCheck => ({ title, platform: "kubernetes" });
const docker = (title: string): PeerCheck => ({ title, platform: "docker" });

/**
 * Pod Security Standards checks. shipshape holds Docker workloads to the same standard, so its
 * findings cite them on both platforms.
 */
const PSS: Catalog = Object.fromEntries(
  [
    ["hostNamespaces", "Host namespaces"],
    ["privileged", "Privileged containers"],
    ["capabilities_baseline", "Capabilities (baseline)"],
    ["hostPathVolumes", "HostPath volumes"],
    ["hostPorts", "Host ports"],
    ["appArmorProfile", "AppArmor"],
    ["seLinuxOptions", "SELinux"],
    ["procMount", "/proc mount type"],
    ["procMount_restricted", "/proc mount type (restricted)"],
    ["seccompProfile_baseline", "Seccomp (baseline)"],
    ["sysctls", "Sysctls"],
    ["windowsHostProcess", "HostProcess"],
    ["hostProbesAndHostLifecycle", "Host probes and lifecycle hooks"],
    ["restrictedVolumes", "Volume types"],
    ["allowPrivilegeEscalation", "Privilege escalation"],
    ["runAsNonRoot", "Running as non-root"],
    ["runAsUser", "Running as non-root user"],
    ["seccompProfile_restricted", "Seccomp (restricted)"],
    ["capabilities_restricted", "Capabilities (restricted)"],
  ].map(([id, title]) => [id as string, { title: title as string, platform: "both" as const }]),
);

/** CIS Docker Benchmark 1.6 recommendations of sections 2, 4 and 5. */
const CIS: Catalog = Object.fromEntries(
  [
    ["2.1", "Run the Docker daemon as a non-root user, if possible"],
    ["2.2", "Ensure network traffic is restricted between containers on the default bridge"],
    ["2.3", "Ensure the logging level is set to 'info'"],
    ["2.4", "Ensure Docker is allowed to make changes to iptables"],
    ["2.5", "Ensure insecure registries are not used"],
    ["2.6", "Ensure aufs storage driver is not used"],
    ["2.7", "Ensure TLS authentication for Docker daemon is configured"],
    ["2.8", "Ensure the default ulimit is configured appropriately"],
    ["2.9", "Enable user namespace support"],
    ["2.10", "Ensure the default cgroup usage has been confirmed"],
    ["2.11", "Ensure base device size is not changed until needed"],
    ["2.12", "Ensure that authorization for Docker client commands is enabled"],
    ["2.13", "Ensure centralized and remote logging is configured"],
    ["2.14", "Ensure containers are restricted from acquiring new privileges"],
    ["2.15", "Ensure live restore is enabled"],
    ["2.16", "Ensure Userland Proxy is Disabled"],
    ["2.17", "Ensure that a daemon-wide custom seccomp profile is applied if appropriate"],
    ["2.18", "Ensure that experimental features are not implemented in production"],
    ["4.1", "Ensure that a user for the container has been created"],
    ["4.6", "Ensure that HEALTHCHECK instructions have been added to container images"],
    ["4.7", "Ensure update instructions are not used alone in the Dockerfile"],
    ["4.9", "Ensure that COPY is used instead of ADD in Dockerfiles"],
    ["4.10", "Ensure secrets are not stored in Dockerfiles"],
    ["4.11", "Ensure only verified packages are installed"],
    ["5.2", "Ensure that, if applicable, an AppArmor Profile is enabled"],
    ["5.4", "Ensure that Linux kernel capabilities are restricted within containers"],
    ["5.5", "Ensure that privileged containers are not used"],
    ["5.6", "Ensure sensitive host system directories are not mounted on containers"],
    ["5.8", "Ensure privileged ports are not mapped within containers"],
    ["5.10", "Ensure that the host's network namespace is not shared"],
    ["5.11", "Ensure that the memory usage for containers is limited"],
    ["5.12", "Ensure that CPU priority is set appropriately on containers"],
    ["5.13", "Ensure that the container's root filesystem is mounted as read only"],
    ["5.14", "Ensure that incoming container traffic is bound to a specific host interface"],
    ["5.15", "Ensure that the 'on-failure' container restart policy is set to '5'"],
    ["5.16", "Ensure that the host's process namespace is not shared"],
    ["5.17", "Ensure that the host's IPC namespace is not shared"],
    ["5.18", "Ensure that host devices are not directly exposed to containers"],
    ["5.20", "Ensure mount propagation mode is not set to shared"],
    ["5.21", "Ensure that the host's UTS namespace is not shared"],
    ["5.22", "Ensure the default seccomp profile is not Disabled"],
    ["5.26", "Ensure that the container is restricted from acquiring additional privileges"],
    ["5.29", "Ensure that the PIDs cgroup limit is used"],
    ["5.30", "Ensure that Docker's default bridge 'docker0' is not used"],
    ["5.31", "Ensure that the host's user namespaces are not shared"],
    ["5.32", "Ensure that the Docker socket is not mounted inside any containers"],
  ].map(([id, title]) => [id as string, docker(title as string)]),
);

const KUBE_LINTER: Catalog = {
  "access-to-create-pods": k8s("Indicates when a subject can create pods"),
  "access-to-secrets": k8s("Indicates when a subject can read secrets"),
  "cluster-admin-role-binding": k8s("A subject bound to the cluster-admin role"),
  "default-service-account": k8s("Pods that use the default service account"),
  "docker-sock": k8s("Pods that mount the host's docker socket"),
  "drop-net-raw-capability": k8s("Containers that do not drop NET_RAW"),
  "env-var-secret": k8s("Secrets in environment variables"),
  "exposed-services": k8s("Services of type NodePort or LoadBalancer"),
  "host-ipc": k8s("Pods sharing the host's IPC namespace"),
  "host-network": k8s("Pods sharing the host's network namespace"),
  "host-pid": k8s("Pods sharing the host's process namespace"),
  "latest-tag": k8s("Images with the latest tag"),
  "no-liveness-probe": k8s("Containers without a liveness probe"),
  "no-read-only-root-fs": k8s("Containers without a read-only root filesystem"),
  "no-readiness-probe": k8s("Containers without a readiness probe"),
  "non-isolated-pod": k8s("Pods not selected by any NetworkPolicy"),
  "privilege-escalation-container": k8s("Containers that allow privilege escalation"),
  "privileged-container": k8s("Privileged containers"),
  "read-secret-from-env-var": k8s("Secrets read from environment variables"),
  "run-as-non-root": k8s("Containers not set to run as non-root"),
  "sensitive-host-mounts": k8s("Sensitive host directories mounted"),
  "ssh-port": k8s("Containers exposing port 22"),
  "unsafe-proc-mount": k8s("Containers with an unmasked /proc"),
  "unsafe-sysctls": k8s("Pods setting unsafe sysctls"),
  "unset-cpu-requirements": k8s("Containers without CPU requests and limits"),
  "unset-memory-requirements": k8s("Containers without memory limits"),
  "use-namespace": k8s("Objects in the default namespace"),
  "wildcard-in-rules": k8s("Roles with wildcards"),
  "writable-host-mount": k8s("Host paths mounted writable"),
};

const CHECKOV: Catalog = {
  CKV_K8S_8: k8s("Liveness Probe Should be Configured"),
  CKV_K8S_9: k8s("Readiness Probe Should be Configured"),
  CKV_K8S_10: k8s("CPU requests should be set"),
  CKV_K8S_11: k8s("CPU limits should be set"),
  CKV_K8S_12: k8s("Memory requests should be set"),
  CKV_K8S_13: k8s("Memory limits should be set"),
  CKV_K8S_14: k8s("Image Tag should be fixed - not latest or blank"),
  CKV_K8S_15: k8s("Image Pull Policy should be Always"),
  CKV_K8S_16: k8s("Container should not be privileged"),
  CKV_K8S_17: k8s("Containers should not share the host process ID namespace"),
  CKV_K8S_18: k8s("Containers should not share the host IPC namespace"),
  CKV_K8S_19: k8s("Containers should not share the host network namespace"),
  CKV_K8S_20: k8s("Containers should not run with allowPrivilegeEscalation"),
  CKV_K8S_21: k8s("The default namespace should not be used"),
  CKV_K8S_22: k8s("Use read-only filesystem for containers where possible"),
  CKV_K8S_23: k8s("Minimize the admission of root containers"),
  CKV_K8S_25: k8s("Minimize the admission of containers with added capability"),
  CKV_K8S_26: k8s("Do not specify hostPort unless absolutely necessary"),
  CKV_K8S_27: k8s("Do not expose the docker daemon socket to containers"),
  CKV_K8S_28: k8s("Minimize the admission of containers with the NET_RAW capability"),
  CKV_K8S_31: k8s("Ensure that the seccomp profile is set to docker/default or runtime/default"),
  CKV_K8S_35: k8s("Prefer using secrets as files over secrets as environment variables"),
  CKV_K8S_37: k8s("Minimize the admission of containers with capabilities assigned"),
  CKV_K8S_38: k8s("Ensure that Service Account Tokens are only mounted where necessary"),
  CKV_K8S_39: k8s("Do not use the CAP_SYS_ADMIN linux capability"),
  CKV_K8S_40: k8s("Containers should run as a high UID to avoid host conflict"),
  CKV_K8S_41: k8s("Ensure that default service accounts are not actively used"),
  CKV_K8S_42: k8s("Ensure that default service accounts are not actively used"),
  CKV_K8S_43: k8s("Image should use digest"),
  CKV_K8S_49: k8s("Minimize wildcard use in Roles and ClusterRoles"),
  CKV_K8S_155: k8s(
    "Minimize ClusterRoles that grant control over validating or mutating admission webhook configurations",
  ),
  CKV_K8S_156: k8s("Minimize ClusterRoles that grant permissions to approve CertificateSigningRequests"),
  CKV_K8S_157: k8s(
    "Minimize Roles and ClusterRoles that grant permissions to bind RoleBindings or ClusterRoleBindings",
  ),
  CKV_K8S_158: k8s(
    "Minimize Roles and ClusterRoles that grant permissions to escalate Roles or ClusterRoles",
  ),
  CKV2_K8S_1: k8s(
    "RoleBinding should not allow privilege escalation to a ServiceAccount or Node on other RoleBinding",
  ),
  CKV2_K8S_2: k8s(
    "Granting `create` permissions to `nodes/proxy` or `pods/exec` sub resources allows potential privilege escalation",
  ),
  CKV2_K8S_3: k8s(
    "No ServiceAccount/Node should have `impersonate` permissions for groups/users/service-accounts",
  ),
  CKV2_K8S_5: k8s("No ServiceAccount/Node should be able to read all secrets"),
  CKV2_K8S_6: k8s("Minimize the admission of pods which lack an associated NetworkPolicy"),
  CKV_DOCKER_1: docker("Ensure port 22 is not exposed"),
  CKV_DOCKER_2: docker("Ensure that HEALTHCHECK instructions have been added to container images"),
  CKV_DOCKER_3: docker("Ensure that a user for the container has been created"),
  CKV_DOCKER_4: docker("Ensure that COPY is used instead of ADD in Dockerfiles"),
  CKV_DOCKER_5: docker("Ensure update instructions are not use alone in the Dockerfile"),
  CKV_DOCKER_7: docker("Ensure the base image uses a non latest version tag"),
  CKV_DOCKER_8: docker("Ensure the last USER is not root"),
  CKV2_DOCKER_1: docker("Ensure that sudo isn't used"),
  CKV2_DOCKER_2: docker("Ensure that certificate validation isn't disabled with curl"),
  CKV2_DOCKER_3: docker("Ensure that certificate validation isn't disabled with wget"),
  CKV2_DOCKER_4: docker(
    "Ensure that certificate validation isn't disabled with the pip '--trusted-host' option",
  ),
  CKV2_DOCKER_5: docker(
    "Ensure that certificate validation isn't disabled with the PYTHONHTTPSVERIFY environment variable",
  ),
  CKV2_DOCKER_6: docker(
    "Ensure that certificate validation isn't disabled with the NODE_TLS_REJECT_UNAUTHORIZED environment variable",
  ),
  CKV2_DOCKER_7: docker(
    "Ensure that packages with untrusted or missing signatures are not used by apk via the '--allow-untrusted' option",
  ),
  CKV2_DOCKER_8: docker(
    "Ensure that packages with untrusted or missing signatures are not used by apt-get via the '--allow-unauthenticated' option",
  ),
  CKV2_DOCKER_9: docker(
    "Ensure that packages with untrusted or missing GPG signatures are not used by dnf, tdnf, or yum via the '--nogpgcheck' option",
  ),
  CKV2_DOCKER_10: docker(
    "Ensure that packages with untrusted or missing signatures are not used by rpm via the '--nodigest', '--nosignature', '--noverify', or '--nofiledigest' options",
  ),
  CKV2_DOCKER_11: docker(
    "Ensure that the '--force-yes' option is not used, as it disables signature validation and allows packages to be downgraded which can leave the system in a broken or inconsistent state",
  ),
  CKV2_DOCKER_12: docker(
    "Ensure that certificate validation isn't disabled for npm via the 'NPM_CONFIG_STRICT_SSL' environment variable",
  ),
  CKV2_DOCKER_13: docker(
    "Ensure that certificate validation isn't disabled for npm or yarn by setting the option strict-ssl to false",
  ),
  CKV2_DOCKER_14: docker(
    "Ensure that certificate validation isn't disabled for git by setting the environment variable 'GIT_SSL_NO_VERIFY' to any value",
  ),
  CKV2_DOCKER_15: docker(
    "Ensure that the yum and dnf package managers are not configured to disable SSL certificate validation via the 'sslverify' configuration option",
  ),
  CKV2_DOCKER_16: docker(
    "Ensure that certificate validation isn't disabled with pip via the 'PIP_TRUSTED_HOST' environment variable",
  ),
  CKV2_DOCKER_17: docker("Ensure that 'chpasswd' is not used to set or remove passwords"),
  CKV2_DOCKER_18: docker(
    "Ensure that certificate validation isn't disabled for go via the environment variable 'GOINSECURE'",
  ),
};

const POLARIS: Catalog = {
  automountServiceAccountToken: k8s("The service account token is automounted"),
  clusterrolePodExecAttach: k8s("A ClusterRole allows exec/attach into pods"),
  rolePodExecAttach: k8s("A Role allows exec/attach into pods"),
  clusterrolebindingPodExecAttach: k8s("A ClusterRoleBinding grants a ClusterRole that allows exec/attach"),
  rolebindingClusterRolePodExecAttach: k8s("A RoleBinding grants a ClusterRole that allows exec/attach"),
  rolebindingRolePodExecAttach: k8s("A RoleBinding grants a Role that allows exec/attach"),
  clusterrolebindingClusterAdmin: k8s("A ClusterRoleBinding grants cluster-admin"),
  rolebindingClusterAdminClusterRole: k8s("A RoleBinding grants the cluster-admin ClusterRole"),
  rolebindingClusterAdminRole: k8s("A RoleBinding grants a Role named cluster-admin"),
  cpuLimitsMissing: k8s("CPU limits are missing"),
  cpuRequestsMissing: k8s("CPU requests are missing"),
  memoryLimitsMissing: k8s("Memory limits are missing"),
  memoryRequestsMissing: k8s("Memory requests are missing"),
  dangerousCapabilities: k8s("Container has dangerous capabilities"),
  insecureCapabilities: k8s("Container has insecure capabilities"),
  hostIPCSet: k8s("Host IPC is configured"),
  hostNetworkSet: k8s("Host network is configured"),
  hostPIDSet: k8s("Host PID is configured"),
  hostPathSet: k8s("HostPath volumes are configured"),
  hostPortSet: k8s("Host port is configured"),
  hostProcess: k8s("Privileged access to the host via a Windows HostProcess container"),
  linuxHardening: k8s("No Linux hardening (seccomp, AppArmor, SELinux or dropped capabilities)"),
  livenessProbeMissing: k8s("Liveness probe is not configured"),
  readinessProbeMissing: k8s("Readiness probe is not configured"),
  missingNetworkPolicy: k8s("No NetworkPolicy matches the workload"),
  notReadOnlyRootFilesystem: k8s("Filesystem is not read-only"),
  privilegeEscalationAllowed: k8s("Privilege escalation is allowed"),
  procMount: k8s("The default /proc masks are bypassed"),
  pullPolicyNotAlways: k8s("Image pull policy is not Always"),
  runAsPrivileged: k8s("The container runs privileged"),
  runAsRootAllowed: k8s("The container is allowed to run as root"),
  sensitiveContainerEnvVar: k8s("A container environment variable holds a secret"),
  tagNotSpecified: k8s("The image tag is not specified or is latest"),
};

/** KICS queries for Docker Compose and Dockerfiles, by query id. */
const KICS: Catalog = {
  "071a71ff-f868-47a4-ac0b-3c59e4ab5443": docker("Docker Compose: Shared Host Network Namespace"),
  "4f31dd9f-2cc3-4751-9b53-67e4af83dac0": docker("Docker Compose: Host Namespace is Shared"),
  "baa3890f-bed7-46f5-ab8f-1da8fc91c729": docker("Docker Compose: Shared Host IPC Namespace"),
  "8af7162d-6c98-482f-868e-0d33fb675ca8": docker("Docker Compose: Shared Host User Namespace"),
  "ae5b6871-7f45-42e0-bb4c-ab300c4d2026": docker("Docker Compose: Privileged Containers Enabled"),
  "ce76b7d0-9e77-464d-b86f-c5c48e03e22d": docker("Docker Compose: Container Capabilities Unrestricted"),
  "27fcc7d6-c49b-46e0-98f1-6c082a6a2750": docker("Docker Compose: No New Privileges Not Set"),
  "404fde2c-bc4b-4371-9747-7054132ac953": docker("Docker Compose: Default Seccomp Profile Disabled"),
  "1c1325ff-831d-43a1-973e-839ae57dfcc0": docker("Docker Compose: Volume Has Sensitive Host Directory"),
  "d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b": docker("Docker Compose: Docker Socket Mounted In Container"),
  "bb9ac4f7-e13b-423d-a010-c74a1bfbe492": docker("Docker Compose: Memory Not Limited"),
  "6b610c50-99fb-4ef0-a5f3-e312fd945bc3": docker("Docker Compose: Cpus Not Limited"),
  "221e0658-cb2a-44e3-b08a-db96a341d6fa": docker("Docker Compose: Pids Limit Not Set"),
  "2fc99041-ddad-49d5-853f-e35e70a48391": docker("Docker Compose: Restart Policy On Failure Not Set To 5"),
  "bc2908f3-f73c-40a9-8793-c1b7d5544f79": docker("Docker Compose: Privileged Ports Mapped In Container"),
  "451d79dc-0588-476a-ad03-3c7f0320abb3": docker(
    "Docker Compose: Container Traffic Not Bound To Host Interface",
  ),
  "baa452f0-1f21-4a25-ace5-844e7a5f410d": docker("Docker Compose: Volume Mounted In Multiple Containers"),
  "ce14a68b-1668-41a0-ab7d-facd9f784742": docker("Docker Compose: Networks Not Set"),
  "698ed579-b239-4f8f-a388-baa4bcb13ef8": docker("Docker Compose: Healthcheck Not Set"),
  "fd54f200-402c-4333-a5a4-36ef6709af2f": docker("Dockerfile: Missing User Instruction"),
  "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae": docker("Dockerfile: Last User Is 'root'"),
  "8ada6e80-0ade-439e-b176-0b28f6bce35a": docker("Dockerfile: Run Using Sudo"),
  "b03a748a-542d-44f4-bb86-9199ab4fd2d5": docker("Dockerfile: Healthcheck Instruction Missing"),
  "9513a694-aa0d-41d8-be61-3271e056f36b": docker("Dockerfile: Add Instead of Copy"),
  "5907595b-5b6d-4142-b173-dbb0e73fbff8": docker("Dockerfile: Exposing Port 22 (SSH)"),
  "9efb0b2d-89c9-41a3-91ca-dcc0aec911fd": docker("Dockerfile: Image Version Not Explicit"),
  "f45ea400-6bbe-4501-9fc7-1c3d75c32067": docker("Dockerfile: Image Version Using 'latest'"),
  "9bae49be-0aa3-4de5-bab2-4c3a069e40cd": docker("Dockerfile: Update Instruction Alone"),
};

const HADOLINT: Catalog = {
  DL3002: docker("Last USER should not be root"),
  DL3004: docker("Do not use sudo"),
  DL3006: docker("Always tag the version of an image explicitly"),
  DL3007: docker("Using latest is prone to errors"),
  DL3020: docker("Use COPY instead of ADD for files and folders"),
  DL3057: docker("HEALTHCHECK instruction missing"),
};

/** Every peer check shipshape may cite, by framework. */
export const PEER_CHECKS: Record<keyof References, Catalog> = {
  pss: PSS,
  cis: CIS,
  kubeLinter: KUBE_LINTER,
  checkov: CHECKOV,
  polaris: POLARIS,
  kics: KICS,
  hadolint: HADOLINT,
};

/** True when the check `framework`/`id` looks at objects of `platform`. */
export function peerCoversPlatform(
  framework: keyof References,
  id: string,
  platform: "docker" | "kubernetes",
): boolean {
  const check = PEER_CHECKS[framework][id];
  return check !== undefined && (check.platform === "both" || check.platform === platform);
}
