import { defineRule, PlatformScope } from "../../rule";
import { instructionPath, instructionsOf } from "./dockerfile";

/** True when an EXPOSE word (`22`, `22/tcp`, `20-25`) covers port 22. */
function coversSsh(word: string): boolean {
  const [ports = ""] = word.split("/");
  const [low, high] = ports.split("-").map(Number);
  if (low === undefined || Number.isNaN(low)) return false;
  return high === undefined || Number.isNaN(high) ? low === 22 : low <= 22 && 22 <= high;
}

export const dockerfileExposeSsh = defineRule({
  id: "dockerfile-expose-ssh",
  title: "The image does not expose SSH",
  severity: "medium",
  rationale:
    "An SSH server in a container is an extra, credential-bearing entry point to patch and audit; `docker exec` or `kubectl exec` already give controlled access.",
  remediation: "Remove `EXPOSE 22` and the SSH server; use `docker exec` / `kubectl exec` for access.",
  references: { checkov: ["CKV_DOCKER_1"], kics: ["5907595b-5b6d-4142-b173-dbb0e73fbff8"] },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return instructionsOf(build, "EXPOSE").flatMap(({ index, instruction }) =>
      instruction.text.trim().split(/\s+/).some(coversSsh)
        ? [{ path: instructionPath(index), message: "EXPOSE publishes port 22 (SSH)" }]
        : [],
    );
  },
});
