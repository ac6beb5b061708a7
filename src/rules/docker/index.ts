import type { OutOfScope } from "../out-of-scope";
import type { Rule } from "../rule";
import { dockerfileBaseImageDigest } from "./build/dockerfile-base-image-digest";
import { dockerfileBaseImageTag } from "./build/dockerfile-base-image-tag";
import { dockerfileChpasswd } from "./build/dockerfile-chpasswd";
import { dockerfileCopyNotAdd } from "./build/dockerfile-copy-not-add";
import { dockerfileExposeSsh } from "./build/dockerfile-expose-ssh";
import { dockerfileHealthcheck } from "./build/dockerfile-healthcheck";
import { dockerfileNonRootUser } from "./build/dockerfile-non-root-user";
import { dockerfileSecretsInEnv } from "./build/dockerfile-secrets-in-env";
import { dockerfileSudo } from "./build/dockerfile-sudo";
import { dockerfileTlsVerification } from "./build/dockerfile-tls-verification";
import { dockerfileUnsignedPackages } from "./build/dockerfile-unsigned-packages";
import { dockerfileUpdateAlone } from "./build/dockerfile-update-alone";
import { daemonAufsStorageDriver } from "./daemon/daemon-aufs-storage-driver";
import { daemonAuthorizationPlugin } from "./daemon/daemon-authorization-plugin";
import { daemonBaseDeviceSize } from "./daemon/daemon-base-device-size";
import { daemonCgroupParent } from "./daemon/daemon-cgroup-parent";
import { daemonDefaultUlimits } from "./daemon/daemon-default-ulimits";
import { daemonExperimental } from "./daemon/daemon-experimental";
import { daemonIcc } from "./daemon/daemon-icc";
import { daemonInsecureRegistries } from "./daemon/daemon-insecure-registries";
import { daemonIptables } from "./daemon/daemon-iptables";
import { daemonLiveRestore } from "./daemon/daemon-live-restore";
import { daemonLogLevel } from "./daemon/daemon-log-level";
import { daemonNoNewPrivileges } from "./daemon/daemon-no-new-privileges";
import { daemonRemoteLogging } from "./daemon/daemon-remote-logging";
import { daemonRootless } from "./daemon/daemon-rootless";
import { daemonSeccompProfile } from "./daemon/daemon-seccomp-profile";
import { daemonTcpTls } from "./daemon/daemon-tcp-tls";
import { daemonUserlandProxy } from "./daemon/daemon-userland-proxy";
import { daemonUsernsRemap } from "./daemon/daemon-userns-remap";
import { dockerOutOfScope as outOfScope } from "./out-of-scope";
import { containerHealthcheck } from "./workload/container-healthcheck";
import { defaultBridgeNetwork } from "./workload/default-bridge-network";
import { hostDevices } from "./workload/host-devices";
import { hostUserNamespace } from "./workload/host-user-namespace";
import { hostUtsNamespace } from "./workload/host-uts-namespace";
import { mountPropagationShared } from "./workload/mount-propagation-shared";
import { pidsLimit } from "./workload/pids-limit";
import { portsAllInterfaces } from "./workload/ports-all-interfaces";
import { privilegedHostPorts } from "./workload/privileged-host-ports";
import { restartPolicy } from "./workload/restart-policy";

/** Docker checks: CIS Docker Benchmark 1.6 sections 2, 4 and 5, checkov, KICS, hadolint. */
export const dockerRules: readonly Rule[] = [
  // Section 2: daemon configuration, in benchmark order.
  daemonRootless,
  daemonIcc,
  daemonLogLevel,
  daemonIptables,
  daemonInsecureRegistries,
  daemonAufsStorageDriver,
  daemonTcpTls,
  daemonDefaultUlimits,
  daemonUsernsRemap,
  daemonCgroupParent,
  daemonBaseDeviceSize,
  daemonAuthorizationPlugin,
  daemonRemoteLogging,
  daemonNoNewPrivileges,
  daemonLiveRestore,
  daemonUserlandProxy,
  daemonSeccompProfile,
  daemonExperimental,
  // Section 4 and the Dockerfile checks of checkov and hadolint.
  dockerfileNonRootUser,
  dockerfileHealthcheck,
  dockerfileUpdateAlone,
  dockerfileCopyNotAdd,
  dockerfileSecretsInEnv,
  dockerfileUnsignedPackages,
  dockerfileBaseImageTag,
  dockerfileBaseImageDigest,
  dockerfileSudo,
  dockerfileChpasswd,
  dockerfileTlsVerification,
  dockerfileExposeSsh,
  // Section 5 items that no shared rule covers.
  privilegedHostPorts,
  portsAllInterfaces,
  restartPolicy,
  hostDevices,
  mountPropagationShared,
  hostUtsNamespace,
  pidsLimit,
  containerHealthcheck,
  defaultBridgeNetwork,
  hostUserNamespace,
];

export const dockerOutOfScope: readonly OutOfScope[] = outOfScope;
