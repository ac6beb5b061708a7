import { ALWAYS_DENIED, type AppType, allowedSyscalls, type ProfileTemplate } from "./syscalls";

/** One rule of an OCI/Docker seccomp profile. */
export interface SeccompRule {
  names: string[];
  action: "SCMP_ACT_ALLOW" | "SCMP_ACT_ERRNO";
  errnoRet?: number;
  args?: { index: number; value: number; valueTwo: number; op: "SCMP_CMP_MASKED_EQ" }[];
  comment?: string;
}

/** The profile format Docker's `--security-opt seccomp=` and the kubelet's Localhost profiles read. */
export interface SeccompProfileDocument {
  defaultAction: "SCMP_ACT_ERRNO";
  defaultErrnoRet: number;
  architectures: string[];
  syscalls: SeccompRule[];
}

const EPERM = 1;
const ENOSYS = 38;
/** CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;

/** The name a profile is known by (file name, AppArmor profile name). */
export function profileName(appType: AppType, template: ProfileTemplate): string {
  return `shipshape-${appType}-${template}`;
}

/**
 * Builds the seccomp profile for an application type and template: everything not allowed
 * fails with EPERM. `clone` is allowed only without namespace flags (threads and fork, never a
 * new namespace), and `clone3` answers ENOSYS so that the C library falls back to `clone`,
 * whose flags a filter can see.
 */
export function seccompProfile(appType: AppType, template: ProfileTemplate): SeccompProfileDocument {
  const allowed = allowedSyscalls(appType, template).filter((s) => s !== "clone");
  return {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: EPERM,
    architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    syscalls: [
      { names: allowed, action: "SCMP_ACT_ALLOW" },
      {
        names: ["clone"],
        action: "SCMP_ACT_ALLOW",
        args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
        comment: "threads and fork only: no namespace flags",
      },
      {
        names: ["clone3"],
        action: "SCMP_ACT_ERRNO",
        errnoRet: ENOSYS,
        comment: "clone3 hides its flags from the filter; ENOSYS makes the C library fall back to clone",
      },
    ],
  };
}

/** Each profile's JSON, built once: every Docker container of the same type and template carries it. */
const PROFILE_JSON = new Map<string, string>();

/** The profile as compact JSON with a stable key order (Docker's `seccomp=<json>`). */
export function seccompProfileJson(appType: AppType, template: ProfileTemplate): string {
  const key = `${appType}\u0000${template}`;
  let json = PROFILE_JSON.get(key);
  if (json === undefined) {
    json = JSON.stringify(seccompProfile(appType, template));
    PROFILE_JSON.set(key, json);
  }
  return json;
}

/** Syscalls no generated profile allows, whatever the template. */
export const DENIED_SYSCALLS: readonly string[] = ALWAYS_DENIED.syscalls;
