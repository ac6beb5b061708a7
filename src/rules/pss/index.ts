import type { OutOfScope } from "../out-of-scope";
import type { Rule } from "../rule";
import { apparmorUnconfined } from "./apparmor-unconfined";
import { capabilitiesBaseline } from "./capabilities-baseline";
import { dropAllCapabilities } from "./drop-all-capabilities";
import { hostNamespaces } from "./host-namespaces";
import { hostPathVolumes } from "./host-path-volumes";
import { hostPorts } from "./host-ports";
import { privilegeEscalation } from "./privilege-escalation";
import { privilegedContainer } from "./privileged-container";
import { probeHost } from "./probe-host";
import { restrictedVolumeTypes } from "./restricted-volume-types";
import { runAsNonRoot } from "./run-as-non-root";
import { runAsRootUid } from "./run-as-root-uid";
import { seccompProfileRequired } from "./seccomp-profile-required";
import { seccompUnconfined } from "./seccomp-unconfined";
import { selinuxOptions } from "./selinux-options";
import { unmaskedProcMount } from "./unmasked-proc-mount";
import { unmaskedProcMountRestricted } from "./unmasked-proc-mount-restricted";
import { unsafeSysctls } from "./unsafe-sysctls";
import { windowsHostProcess } from "./windows-host-process";

/** Pod Security Standards checks (v1.25 to the newest, see ./versions.ts), baseline then restricted. */
export const pssRules: readonly Rule[] = [
  hostNamespaces,
  privilegedContainer,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  apparmorUnconfined,
  selinuxOptions,
  unmaskedProcMount,
  seccompUnconfined,
  unsafeSysctls,
  windowsHostProcess,
  probeHost,
  restrictedVolumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsRootUid,
  seccompProfileRequired,
  dropAllCapabilities,
  unmaskedProcMountRestricted,
];

/** Pod Security Standards checks shipshape does not implement, and why. */
export const pssOutOfScope: readonly OutOfScope[] = [];
