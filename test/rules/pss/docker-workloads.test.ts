/**
 * The PSS rules on Docker-shaped workloads (Compose services, `docker run` containers): no pod
 * level, a user given by name or number, Docker's own defaults. Built directly in the model so
 * the rules are tested independently of the Compose adapter.
 */
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import type { Container, DaemonConfig, Resource, SecurityContext, Workload } from "../../../src/model";
import { pssRules } from "../../../src/rules/pss";

const PSS_IDS = new Set(pssRules.map((r) => r.id));
const origin = (file: string) => ({
  format: "compose" as const,
  file,
  location: { file, line: 1, column: 1 },
  locations: new Map(),
});

function service(
  securityContext: SecurityContext,
  extra: Partial<Workload> = {},
  more: Partial<Container> = {},
): Workload {
  const container: Container = {
    name: "web",
    role: "container",
    env: [],
    envFromSecrets: [],
    ports: [],
    securityContext,
    resources: {},
    probes: [],
    mounts: [],
    devices: [],
    ...more,
  };
  return {
    kind: "workload",
    sourceKind: "compose-service",
    name: "web",
    labels: {},
    annotations: {},
    origin: origin("compose.yaml"),
    suppressions: [],
    securityContext: {},
    containers: [container],
    volumes: [],
    networks: ["default"],
    podLabels: {},
    podAnnotations: {},
    ...extra,
  };
}

/** A Compose service that meets the restricted level the Docker way. */
const HARDENED: SecurityContext = {
  runAsUser: 10001,
  allowPrivilegeEscalation: false,
  capabilities: { add: [], drop: ["ALL"] },
};

function ids(resources: Resource[], profile: "baseline" | "restricted" = "restricted"): string[] {
  return [...new Set(audit(resources, { profile }).map((f) => f.ruleId))]
    .filter((id) => PSS_IDS.has(id))
    .sort();
}

describe("PSS rules on Docker workloads", () => {
  it("accept a hardened service without any pod-level field or seccomp option", () => {
    expect(ids([service(HARDENED)])).toEqual([]);
  });

  it("treat a service with no user as running as root", () => {
    const findings = audit([service({ ...HARDENED, runAsUser: undefined } as SecurityContext)], {
      only: ["run-as-non-root", "run-as-root-uid"],
    });
    expect(findings.map((f) => f.ruleId)).toEqual(["run-as-non-root"]);
    expect(findings[0]?.message).toContain("sets no user");
  });

  it.each([
    ["root", ["run-as-non-root", "run-as-root-uid"]],
    ["0", ["run-as-non-root", "run-as-root-uid"]],
    ["root:staff", ["run-as-non-root", "run-as-root-uid"]],
    ["app", []],
    ["app:app", []],
  ])('judge user name "%s"', (name, expected) => {
    const sc: SecurityContext = { allowPrivilegeEscalation: false, capabilities: { add: [], drop: ["ALL"] } };
    sc.runAsUserName = name;
    expect(ids([service(sc)])).toEqual(expected);
  });

  it("judge numeric users, and exempt a user-namespace-remapped service", () => {
    expect(ids([service({ ...HARDENED, runAsUser: 0 })])).toEqual(["run-as-non-root", "run-as-root-uid"]);
    expect(ids([service({ ...HARDENED, runAsUser: 0 }, { hostUsers: false })])).toEqual([]);
  });

  it("rely on Docker's default seccomp profile but reject seccomp=unconfined", () => {
    expect(ids([service({ ...HARDENED, seccompProfile: { type: "Unconfined" } })])).toEqual([
      "seccomp-profile-required",
      "seccomp-unconfined",
    ]);
    expect(ids([service({ ...HARDENED, seccompProfile: { type: "Unconfined" } })], "baseline")).toEqual([
      "seccomp-unconfined",
    ]);
  });

  it("read Docker capability names in any case, with or without CAP_", () => {
    const caps = (add: string[], drop: string[]) => service({ ...HARDENED, capabilities: { add, drop } });
    expect(ids([caps(["cap_net_bind_service"], ["all"])])).toEqual([]);
    expect(ids([caps(["chown"], ["ALL"])], "baseline")).toEqual([]);
    expect(ids([caps(["sys_admin"], ["ALL"])], "baseline")).toEqual(["capabilities-baseline"]);
    expect(ids([caps([], ["NET_RAW"])])).toEqual(["drop-all-capabilities"]);
  });

  it("report the host network mode but leave UTS to the Docker rule", () => {
    expect(ids([service(HARDENED, { networkMode: "host" })], "baseline")).toEqual(["host-namespaces"]);
    expect(ids([service(HARDENED, { hostPID: true, hostUTS: true })], "baseline")).toEqual([
      "host-namespaces",
    ]);
    const found = audit([service(HARDENED, { hostUTS: true })], { only: ["host-namespaces"] });
    expect(found).toEqual([]);
  });

  it("report bind mounts as host paths, accept named volumes and tmpfs", () => {
    const volumes = [
      { name: "docker-sock", type: "hostPath", hostPath: "/var/run/docker.sock" },
      { name: "data", type: "persistentVolumeClaim", source: "data" },
      { name: "tmp", type: "emptyDir", medium: "Memory" },
    ];
    const found = audit([service(HARDENED, { volumes })], { profile: "restricted" }).filter((f) =>
      PSS_IDS.has(f.ruleId),
    );
    expect(found.map((f) => [f.ruleId, f.message])).toEqual([
      [
        "host-path-volumes",
        'volume "docker-sock" mounts host path "/var/run/docker.sock"; use an emptyDir, a Secret/ConfigMap or a volume claim instead',
      ],
      [
        "restricted-volume-types",
        'volume "docker-sock" uses type "hostPath", which the restricted level does not allow; use a Secret, ConfigMap, emptyDir, projected volume or a claim',
      ],
    ]);
  });

  it("do not treat published ports as Kubernetes host ports", () => {
    const ports = [{ containerPort: 80, hostPort: 8080 }];
    expect(ids([service(HARDENED, {}, { ports })], "baseline")).toEqual([]);
  });

  it("require no-new-privileges unless the daemon enforces it for every container", () => {
    const open = service({ ...HARDENED, allowPrivilegeEscalation: undefined } as SecurityContext);
    expect(ids([open])).toEqual(["privilege-escalation"]);
    const daemon: DaemonConfig = {
      kind: "daemon",
      name: "daemon.json",
      labels: {},
      annotations: {},
      origin: { ...origin("daemon.json"), format: "daemon-json" },
      suppressions: [],
      settings: { "no-new-privileges": true },
      noNewPrivileges: true,
      logOpts: {},
      insecureRegistries: [],
      hosts: [],
      authorizationPlugins: [],
    };
    expect(ids([open, daemon])).toEqual([]);
    const explicit = service({ ...HARDENED, allowPrivilegeEscalation: true });
    expect(ids([explicit, daemon])).toEqual(["privilege-escalation"]);
  });

  it("offer container-level fixes only, never a pod-level field Docker does not have", () => {
    const bare = service({ runAsUserName: "app" });
    const findings = audit([bare], { profile: "restricted" }).filter((f) => PSS_IDS.has(f.ruleId));
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["drop-all-capabilities", "privilege-escalation"]);
    const paths = findings.flatMap((f) => f.fix ?? []).map((p) => p.path);
    expect(paths.sort()).toEqual([
      "containers.0.securityContext.allowPrivilegeEscalation",
      "containers.0.securityContext.capabilities.drop",
    ]);
  });
});
