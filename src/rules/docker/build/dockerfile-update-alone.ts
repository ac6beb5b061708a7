import { defineRule, PlatformScope } from "../../rule";
import { instructionPath, instructionsOf, program, runScript, shellCommands } from "./dockerfile";

/** Package-index refreshes: harmless alone, but cached as a layer that later installs reuse. */
function isIndexUpdate(name: string, args: string[]): boolean {
  const sub = args.find((a) => !a.startsWith("-"));
  if (name === "apt-get" || name === "apt" || name === "apk") return sub === "update";
  if (name === "yum" || name === "dnf" || name === "microdnf")
    return sub === "makecache" || sub === "check-update";
  if (name === "zypper") return sub === "refresh" || sub === "ref";
  return false;
}

const INSTALLS: Record<string, string[]> = {
  "apt-get": ["install", "upgrade", "dist-upgrade", "full-upgrade"],
  apt: ["install", "upgrade", "dist-upgrade", "full-upgrade"],
  apk: ["add", "upgrade"],
  yum: ["install", "update", "upgrade", "groupinstall"],
  dnf: ["install", "update", "upgrade", "groupinstall"],
  microdnf: ["install", "update", "upgrade"],
  zypper: ["install", "in", "update", "up", "dist-upgrade", "dup"],
};

function isInstall(name: string, args: string[]): boolean {
  const sub = args.find((a) => !a.startsWith("-"));
  return sub !== undefined && (INSTALLS[name]?.includes(sub) ?? false);
}

export const dockerfileUpdateAlone = defineRule({
  id: "dockerfile-update-alone",
  title: "Package index updates are not used alone",
  severity: "low",
  rationale:
    "A RUN that only refreshes the package index is cached as its own layer; later builds reuse the stale index and install outdated packages, missing security fixes.",
  remediation:
    "Refresh and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends pkg=1.2.3 && rm -rf /var/lib/apt/lists/*`.",
  references: { cis: ["4.7"], checkov: ["CKV_DOCKER_5"], kics: ["9bae49be-0aa3-4de5-bab2-4c3a069e40cd"] },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return instructionsOf(build, "RUN").flatMap(({ index, instruction }) => {
      const commands = shellCommands(runScript(instruction)).flatMap((w) => {
        const p = program(w);
        return p ? [p] : [];
      });
      const update = commands.find((c) => isIndexUpdate(c.name, c.args));
      if (!update || commands.some((c) => isInstall(c.name, c.args))) return [];
      return [
        {
          path: instructionPath(index),
          message: `"${update.name} ${update.args.join(" ")}" runs without an install in the same RUN`,
        },
      ];
    });
  },
});
