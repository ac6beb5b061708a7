import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { dockerRules } from "../../../src/rules/docker";
import { hostUtsNamespace } from "../../../src/rules/docker/workload/host-uts-namespace";
import { portsAllInterfaces } from "../../../src/rules/docker/workload/ports-all-interfaces";
import { loadComposeFile } from "../../../src/sources/compose-file";
import { FIXTURES, findingsAt, loadFixture } from "./fixtures";

// container-healthcheck judges running containers only (a Compose file does not show the image's).
const workloadRules = dockerRules.filter(
  (r) => r.targets.includes("workload") && r.id !== "container-healthcheck",
);

describe("Docker workload rules on Compose fixtures", () => {
  it("find each violation of bad.compose.yaml at its line", () => {
    expect(findingsAt(loadFixture("compose/bad.compose.yaml", loadComposeFile), workloadRules)).toEqual([
      "default-bridge-network@5",
      "host-uts-namespace@6",
      "host-user-namespace@7",
      "restart-policy@8",
      "pids-limit@9",
      "ports-all-interfaces@11",
      "privileged-host-ports@11",
      "ports-all-interfaces@12",
      "ports-all-interfaces@13",
      "host-devices@16",
      "mount-propagation-shared@18",
      // The adapter places restartPolicy.maxRetries on the restart_policy key.
      "restart-policy@23",
    ]);
  });

  it("every Docker workload rule fails in bad.compose.yaml", () => {
    const found = new Set(
      findingsAt(loadFixture("compose/bad.compose.yaml", loadComposeFile), workloadRules).map(
        (f) => f.split("@")[0],
      ),
    );
    expect(workloadRules.map((r) => r.id).filter((id) => !found.has(id))).toEqual([]);
  });

  it("find nothing in good.compose.yaml", () => {
    expect(findingsAt(loadFixture("compose/good.compose.yaml", loadComposeFile), workloadRules)).toEqual([]);
  });

  it("fix uts: host, and bind ports to loopback when the option asks for it", () => {
    const text = readFileSync(join(FIXTURES, "compose/bad.compose.yaml"), "utf8");
    const source = loadComposeFile("bad.compose.yaml", text);
    const rules = [hostUtsNamespace, portsAllInterfaces];
    const parameters = { [portsAllInterfaces.id]: { bindAddress: "127.0.0.1" } };
    const fixed = source.applyFixes?.(audit(source.resources, { rules, parameters }), 0);
    expect(fixed).toBeDefined();
    expect(fixed).not.toContain("uts: host");
    expect(fixed).toContain('"127.0.0.1:80:8080"');
    expect(fixed).toContain("127.0.0.1:9090:9090");
    expect(fixed).toContain("# Each Docker-only workload rule fails here");
    const after = loadComposeFile("bad.compose.yaml", fixed ?? "");
    expect(audit(after.resources, { rules }).map((f) => f.ruleId)).toEqual([]);
  });
});

describe("Compose semantics", () => {
  const file = "compose/semantics.compose.yaml";
  const text = readFileSync(join(FIXTURES, file), "utf8");
  /** `rule@line` for each `# expect: a, b` marker. */
  const expected = text.split("\n").flatMap((line, i) => {
    const m = /# expect: (.+)$/.exec(line);
    return m?.[1] ? m[1].split(", ").map((id) => `${id}@${i + 1}`) : [];
  });
  const rules = [
    "restart-policy",
    "sensitive-host-mounts",
    "host-path-volumes",
    "docker-socket-mount",
    "container-healthcheck",
  ];

  it("judges the effective restart policy and named volumes bound to host directories", () => {
    const resources = loadFixture(file, loadComposeFile);
    const found = audit(resources, { only: rules }).map((f) => `${f.ruleId}@${f.line}`);
    expect(found.sort()).toEqual([...expected].sort());
  });

  it("reads deploy.restart_policy over restart", () => {
    const resources = loadFixture(file, loadComposeFile);
    const policies = resources.flatMap((r) => (r.kind === "workload" ? [[r.name, r.restartPolicy]] : []));
    expect(policies).toEqual([
      ["limited-by-deploy", { name: "on-failure", maxRetries: 3 }],
      ["unlimited-by-deploy", { name: "always" }],
      ["bound", undefined],
      ["no-health", undefined],
    ]);
  });
});
