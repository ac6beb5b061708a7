import { afterAll, beforeAll, expect, it } from "vitest";
import { secureDaemonConfig } from "../../src/daemon-config";
import type { Finding } from "../../src/engine/finding";
import { auditEngine, readEngine } from "../../src/live";
import type { Workload } from "../../src/model";
import { cliInProcess } from "../cli/helpers";
import {
  describeDocker,
  docker,
  importBusybox,
  requireEngine,
  type ScratchDaemon,
  startScratchDaemon,
  uniqueName,
} from "./engine-helpers";

const IMAGE = "shipshape-test/busybox:1";

/** Everything a hardened container sets; each faulty container undoes exactly one of these. */
const HARDENED = [
  "--user",
  "1000:1000",
  "--read-only",
  "--memory",
  "64m",
  "--cpus",
  "0.5",
  "--pids-limit",
  "64",
  "--cap-drop",
  "ALL",
  "--security-opt",
  "no-new-privileges",
  "--restart",
  "on-failure:3",
  "--network",
  "none",
  "--health-cmd",
  "true",
];

function without(args: string[], flag: string, takesValue = true): string[] {
  const i = args.indexOf(flag);
  return i < 0 ? args : [...args.slice(0, i), ...args.slice(i + (takesValue ? 2 : 1))];
}

/** Each fault, the rule that must report it, and the `docker run` arguments that make it. */
const FAULTS: { fault: string; rule: string; args: string[] }[] = [
  // Privileged mode and the host's network need the host user namespace on a remapping daemon.
  {
    fault: "privileged",
    rule: "privileged-container",
    args: ["--privileged", "--userns", "host", ...HARDENED],
  },
  {
    fault: "hostnet",
    rule: "host-namespaces",
    args: ["--network", "host", "--userns", "host", ...without(HARDENED, "--network")],
  },
  {
    fault: "socket",
    rule: "docker-socket-mount",
    args: ["-v", "/var/run/docker.sock:/var/run/docker.sock:ro", ...HARDENED],
  },
  { fault: "nomem", rule: "memory-limits", args: without(HARDENED, "--memory") },
  // Root in a remapped user namespace is not root on the host; in the host's namespace it is.
  { fault: "root", rule: "run-as-non-root", args: ["--userns", "host", ...without(HARDENED, "--user")] },
  { fault: "writable", rule: "read-only-root-filesystem", args: without(HARDENED, "--read-only", false) },
  {
    fault: "nohealth",
    rule: "container-healthcheck",
    args: [...without(HARDENED, "--health-cmd"), "--no-healthcheck"],
  },
];
const FAULT_RULES = new Set(FAULTS.map((f) => f.rule));

describeDocker("live audit of containers", () => {
  let daemon: ScratchDaemon | undefined;
  const prefix = uniqueName("shipshape-live");
  const name = (fault: string) => `${prefix}-${fault}`;
  const names = [...FAULTS.map((f) => name(f.fault)), name("hardened")];
  let host = "";
  let findings: Finding[] = [];
  let workloads: Workload[] = [];

  beforeAll(async () => {
    await requireEngine();
    // A daemon with the generated config, so a hardened container can be clean of daemon-level
    // container findings too (user namespaces need the daemon's remapping).
    daemon = await startScratchDaemon(secureDaemonConfig().config);
    host = `unix://${daemon.socket}`;
    await importBusybox(daemon.socket, IMAGE);
    for (const f of FAULTS)
      await docker(daemon.socket, ["run", "-d", "--name", name(f.fault), ...f.args, IMAGE]);
    await docker(daemon.socket, ["run", "-d", "--name", name("hardened"), ...HARDENED, IMAGE]);
    const result = await auditEngine({ host, containers: names });
    findings = result.findings;
    workloads = result.snapshot.workloads;
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  const findingsOf = (container: string) =>
    findings.filter((f) => f.file.endsWith(`/containers/${container}`));

  it("maps inspect data into the model", () => {
    const byName = new Map(workloads.map((w) => [w.name, w]));
    expect([...byName.keys()].sort()).toEqual([...names].sort());
    const hardened = byName.get(name("hardened"))!;
    expect(hardened.origin.format).toBe("docker-engine");
    expect(hardened.origin.file).toMatch(new RegExp(`^docker://[^/]+/containers/${name("hardened")}$`));
    expect(hardened.sourceKind).toBe("docker-container");
    expect(hardened.hostUsers).toBe(false);
    const c = hardened.containers[0]!;
    expect(c.securityContext).toMatchObject({
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { add: [], drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.resources).toMatchObject({ memoryLimit: "64Mi", cpuLimit: "0.5", pidsLimit: 64 });
    expect(c.probes).toEqual([{ kind: "healthcheck" }]);
    expect(hardened.restartPolicy).toEqual({ name: "on-failure", maxRetries: 3 });

    expect(byName.get(name("privileged"))!.containers[0]!.securityContext.privileged).toBe(true);
    expect(byName.get(name("privileged"))!.hostUsers).toBe(true);
    expect(byName.get(name("hostnet"))!.hostNetwork).toBe(true);
    expect(byName.get(name("socket"))!.volumes).toEqual([
      { name: "mount-0", type: "hostPath", hostPath: "/var/run/docker.sock" },
    ]);
    expect(byName.get(name("nomem"))!.containers[0]!.resources.memoryLimit).toBeUndefined();
    expect(byName.get(name("root"))!.containers[0]!.securityContext.runAsUser).toBe(0);
    expect(byName.get(name("writable"))!.containers[0]!.securityContext.readOnlyRootFilesystem).toBe(false);
  });

  it("reports each deliberate fault with its rule, and no other fault rule", () => {
    for (const f of FAULTS) {
      const reported = new Set(findingsOf(name(f.fault)).map((x) => x.ruleId));
      expect(reported.has(f.rule), `${f.fault} should be reported by ${f.rule}`).toBe(true);
      const others = [...reported].filter((r) => FAULT_RULES.has(r) && r !== f.rule);
      expect(others, `${f.fault} reported by other fault rules`).toEqual([]);
    }
  });

  it("reports nothing on the hardened container", () => {
    expect(findingsOf(name("hardened")).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it("limits the audit to the named containers and rejects unknown names", async () => {
    const one = await readEngine({ host, containers: [name("root")] });
    expect(one.workloads.map((w) => w.name)).toEqual([name("root")]);
    await expect(readEngine({ host, containers: [`${prefix}-missing`] })).rejects.toThrow(
      /no such container/,
    );
  });

  it("shipshape audit --docker reports in the chosen format with the audit exit codes", () => {
    const bad = cliInProcess([
      "audit",
      "--docker",
      "--host",
      host,
      "--containers",
      name("privileged"),
      "-f",
      "json",
    ]);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        ruleId: "privileged-container",
        file: expect.stringMatching(/\/containers\//),
      }),
    );
    // The hardened daemon and container leave only low-severity advice (remote logging, authz plugins).
    const good = cliInProcess([
      "audit",
      "--docker",
      "--host",
      host,
      "--containers",
      name("hardened"),
      "--min-severity",
      "medium",
    ]);
    expect(good.stderr).toBe("");
    expect(good.code).toBe(0);
    const sarif = cliInProcess([
      "audit",
      "--docker",
      "--host",
      host,
      "--containers",
      name("hardened"),
      "-f",
      "sarif",
    ]);
    expect(JSON.parse(sarif.stdout).runs[0].tool.driver.rules.length).toBeGreaterThan(0);
  });
});
