import { defineRule, PlatformScope } from "../../rule";
import { instructionPath, instructionsOf, program, runScript, shellCommands } from "./dockerfile";

const RPM_FAMILY = new Set(["rpm", "yum", "dnf", "microdnf", "tdnf", "zypper"]);

/** The Checkov check of each option, where Checkov has one (each finding cites only its own). */
function checkovCheck(name: string, option: string): string | undefined {
  if (option === "--allow-untrusted") return "CKV2_DOCKER_7";
  if (option === "--allow-unauthenticated") return "CKV2_DOCKER_8";
  if (option === "--force-yes") return "CKV2_DOCKER_11";
  if (name === "rpm" && /^--no(signature|digest|verify|filedigest)$/.test(option)) return "CKV2_DOCKER_10";
  if (option === "--nogpgcheck" && ["yum", "dnf", "tdnf"].includes(name)) return "CKV2_DOCKER_9";
  return undefined;
}

/** The option that makes a package manager accept unsigned or unverified packages, if any. */
function unverifiedOption(name: string, args: string[]): string | undefined {
  if (name === "apk") return args.find((a) => a === "--allow-untrusted");
  if (name === "apt-get" || name === "apt" || name === "aptitude") {
    const flag = args.find((a) => a === "--allow-unauthenticated" || a === "--force-yes");
    if (flag) return flag;
    return args.find((a) => /^APT::Get::AllowUnauthenticated=(1|true|yes)$/i.test(a));
  }
  if (RPM_FAMILY.has(name)) {
    const flag = args.find(
      (a) =>
        a === "--nogpgcheck" ||
        a === "--no-gpg-checks" ||
        /^--setopt=(\S*\.)?gpgcheck=(0|false|no)$/i.test(a),
    );
    if (flag) return flag;
    if (name === "rpm") return args.find((a) => /^--no(signature|digest|verify|filedigest)$/.test(a));
  }
  return undefined;
}

export const dockerfileUnsignedPackages = defineRule({
  id: "dockerfile-unsigned-packages",
  title: "Packages are installed with signature checks",
  severity: "high",
  rationale:
    "Package signatures are what prove a package came from the distribution; with the check off, a mirror or network attacker can install anything into the image.",
  remediation:
    "Remove the option and import the repository's signing key instead (`apt-key`/`signed-by=`, `rpm --import`, apk's /etc/apk/keys).",
  references: {
    cis: ["4.11"],
    checkov: ["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
  },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return instructionsOf(build, "RUN").flatMap(({ index, instruction }) =>
      shellCommands(runScript(instruction)).flatMap((words) => {
        const p = program(words);
        const option = p && unverifiedOption(p.name, p.args);
        if (!option) return [];
        const checkov = checkovCheck(p.name, option);
        return [
          {
            path: instructionPath(index),
            message: `${p.name} ${option} installs packages without verifying signatures`,
            references: { checkov: checkov ? [checkov] : [] },
          },
        ];
      }),
    );
  },
});
