/**
 * Conformance with the Pod Security Standards as Kubernetes 1.35 enforces them: a pod the
 * standard admits at a level yields no PSS finding with that profile, and a pod it rejects
 * yields exactly the rules of the failing checks. Every pod carries an init and an ephemeral
 * container, so each case also exercises those roles.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { audit } from "../../../src/engine/audit";
import { pssRules } from "../../../src/rules/pss";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";

type Obj = Record<string, unknown>;
type Spec = {
  securityContext?: Obj;
  initContainers: Obj[];
  containers: Obj[];
  ephemeralContainers: Obj[];
  volumes?: Obj[];
  [key: string]: unknown;
};

const PSS_IDS = new Set(pssRules.map((r) => r.id));

function container(name: string): Obj {
  return {
    name,
    image: `registry.example.com/shop/${name}:1.0`,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  };
}

/** A pod that passes the restricted level. */
function restrictedSpec(): Spec {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    initContainers: [container("init")],
    containers: [container("app")],
    ephemeralContainers: [container("debug")],
  };
}

function sc(c: Obj | undefined): Obj {
  if (!c) throw new Error("no such container in the case");
  c.securityContext = (c.securityContext as Obj | undefined) ?? {};
  return c.securityContext as Obj;
}

interface Case {
  name: string;
  change: (spec: Spec, podAnnotations: Record<string, string>) => void;
  baseline: string[];
  restricted: string[];
}

const CASES: Case[] = [
  { name: "a restricted pod", change: () => {}, baseline: [], restricted: [] },
  {
    name: "a minimal pod with no security settings",
    change: (s) => {
      s.securityContext = undefined;
      for (const c of [...s.initContainers, ...s.containers, ...s.ephemeralContainers])
        c.securityContext = undefined;
    },
    baseline: [],
    restricted: [
      "drop-all-capabilities",
      "privilege-escalation",
      "run-as-non-root",
      "seccomp-profile-required",
    ],
  },
  {
    name: "hostNetwork",
    change: (s) => {
      s.hostNetwork = true;
    },
    baseline: ["host-namespaces"],
    restricted: ["host-namespaces"],
  },
  {
    name: "hostPID and hostIPC set to false",
    change: (s) => {
      s.hostPID = false;
      s.hostIPC = false;
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "hostIPC",
    change: (s) => {
      s.hostIPC = true;
    },
    baseline: ["host-namespaces"],
    restricted: ["host-namespaces"],
  },
  {
    name: "a privileged init container",
    change: (s) => {
      sc(s.initContainers[0]).privileged = true;
    },
    baseline: ["privileged-container"],
    restricted: ["privileged-container"],
  },
  {
    name: "a privileged ephemeral container",
    change: (s) => {
      sc(s.ephemeralContainers[0]).privileged = true;
    },
    baseline: ["privileged-container"],
    restricted: ["privileged-container"],
  },
  {
    name: "SYS_ADMIN added to an ephemeral container",
    change: (s) => {
      sc(s.ephemeralContainers[0]).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] };
    },
    baseline: ["capabilities-baseline"],
    restricted: ["capabilities-baseline", "drop-all-capabilities"],
  },
  {
    name: "CHOWN added (default set, but not NET_BIND_SERVICE)",
    change: (s) => {
      sc(s.containers[0]).capabilities = { drop: ["ALL"], add: ["CHOWN"] };
    },
    baseline: [],
    restricted: ["drop-all-capabilities"],
  },
  {
    name: "NET_BIND_SERVICE added back",
    change: (s) => {
      sc(s.containers[0]).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] };
    },
    baseline: [],
    restricted: [],
  },
  {
    name: 'a "CAP_"-prefixed capability (compared exactly)',
    change: (s) => {
      sc(s.containers[0]).capabilities = { drop: ["ALL"], add: ["CAP_NET_BIND_SERVICE"] };
    },
    baseline: ["capabilities-baseline"],
    restricted: ["capabilities-baseline", "drop-all-capabilities"],
  },
  {
    name: "drop list without ALL in an init container",
    change: (s) => {
      sc(s.initContainers[0]).capabilities = { drop: ["NET_RAW", "all"] };
    },
    baseline: [],
    restricted: ["drop-all-capabilities"],
  },
  {
    name: "a hostPath volume",
    change: (s) => {
      s.volumes = [{ name: "host", hostPath: { path: "/etc" } }];
    },
    baseline: ["host-path-volumes"],
    restricted: ["host-path-volumes", "restricted-volume-types"],
  },
  {
    name: "an nfs volume",
    change: (s) => {
      s.volumes = [{ name: "share", nfs: { server: "nfs.example.com", path: "/share" } }];
    },
    baseline: [],
    restricted: ["restricted-volume-types"],
  },
  {
    name: "image, projected, csi and ephemeral volumes",
    change: (s) => {
      s.volumes = [
        { name: "model", image: { reference: "registry.example.com/models/m:1" } },
        { name: "token", projected: { sources: [] } },
        { name: "vault", csi: { driver: "secrets-store.csi.k8s.io" } },
        { name: "scratch", ephemeral: { volumeClaimTemplate: { spec: {} } } },
      ];
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "a hostPort on an init container",
    change: (s) => {
      (s.initContainers[0] as Obj).ports = [{ containerPort: 8080, hostPort: 8080 }];
    },
    baseline: ["host-ports"],
    restricted: ["host-ports"],
  },
  {
    name: "a liveness probe calling another host",
    change: (s) => {
      (s.containers[0] as Obj).livenessProbe = { httpGet: { host: "10.1.2.3", path: "/", port: 8080 } };
    },
    baseline: ["probe-host"],
    restricted: ["probe-host"],
  },
  {
    name: "probes and hooks on the pod itself",
    change: (s) => {
      (s.containers[0] as Obj).readinessProbe = { tcpSocket: { port: 8080 } };
      (s.initContainers[0] as Obj).lifecycle = { preStop: { httpGet: { host: "", path: "/", port: 8080 } } };
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "a probe calling loopback (a host like any other)",
    change: (s) => {
      (s.containers[0] as Obj).readinessProbe = { tcpSocket: { host: "127.0.0.1", port: 8080 } };
      (s.ephemeralContainers[0] as Obj).lifecycle = {
        postStart: { httpGet: { host: "::1", path: "/", port: 8080 } },
      };
    },
    baseline: ["probe-host"],
    restricted: ["probe-host"],
  },
  {
    name: "a volume with no source (defaulted to emptyDir)",
    change: (s) => {
      s.volumes = [{ name: "scratch" }];
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "hostPort 0",
    change: (s) => {
      (s.containers[0] as Obj).ports = [{ containerPort: 8080, hostPort: 0 }];
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "the AppArmor annotation set to unconfined",
    change: (_s, annotations) => {
      annotations["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined";
    },
    baseline: ["apparmor-unconfined"],
    restricted: ["apparmor-unconfined"],
  },
  {
    name: "AppArmor annotations set to runtime/default and localhost/<profile>",
    change: (_s, annotations) => {
      annotations["container.apparmor.security.beta.kubernetes.io/app"] = "runtime/default";
      annotations["container.apparmor.security.beta.kubernetes.io/init"] = "localhost/init-profile";
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "an Unconfined AppArmor field on an init container under a RuntimeDefault pod",
    change: (s) => {
      (s.securityContext as Obj).appArmorProfile = { type: "RuntimeDefault" };
      sc(s.initContainers[0]).appArmorProfile = { type: "Unconfined" };
    },
    baseline: ["apparmor-unconfined"],
    restricted: ["apparmor-unconfined"],
  },
  {
    name: "SELinux type spc_t on the pod",
    change: (s) => {
      (s.securityContext as Obj).seLinuxOptions = { type: "spc_t" };
    },
    baseline: ["selinux-options"],
    restricted: ["selinux-options"],
  },
  {
    name: "SELinux container_engine_t with a level",
    change: (s) => {
      sc(s.containers[0]).seLinuxOptions = { type: "container_engine_t", level: "s0:c1,c2" };
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "an SELinux user on an ephemeral container",
    change: (s) => {
      sc(s.ephemeralContainers[0]).seLinuxOptions = { user: "system_u" };
    },
    baseline: ["selinux-options"],
    restricted: ["selinux-options"],
  },
  {
    name: "an unmasked /proc",
    change: (s) => {
      sc(s.containers[0]).procMount = "Unmasked";
    },
    baseline: ["unmasked-proc-mount"],
    restricted: ["unmasked-proc-mount"],
  },
  {
    name: "an unmasked /proc in a user namespace (baseline relaxes, restricted does not)",
    change: (s) => {
      s.hostUsers = false;
      sc(s.containers[0]).procMount = "Unmasked";
    },
    baseline: [],
    restricted: ["unmasked-proc-mount-restricted"],
  },
  {
    name: "an Unconfined pod seccomp profile overridden by every container",
    change: (s) => {
      (s.securityContext as Obj).seccompProfile = { type: "Unconfined" };
      for (const c of [...s.initContainers, ...s.containers, ...s.ephemeralContainers]) {
        sc(c).seccompProfile = { type: "RuntimeDefault" };
      }
    },
    baseline: ["seccomp-unconfined"],
    restricted: ["seccomp-profile-required", "seccomp-unconfined"],
  },
  {
    name: "seccomp set on every container instead of the pod",
    change: (s) => {
      (s.securityContext as Obj).seccompProfile = undefined;
      for (const c of [...s.initContainers, ...s.containers, ...s.ephemeralContainers]) {
        sc(c).seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
      }
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "seccomp missing on the ephemeral container only",
    change: (s) => {
      (s.securityContext as Obj).seccompProfile = undefined;
      for (const c of [...s.initContainers, ...s.containers])
        sc(c).seccompProfile = { type: "RuntimeDefault" };
    },
    baseline: [],
    restricted: ["seccomp-profile-required"],
  },
  {
    name: "an unsafe sysctl",
    change: (s) => {
      (s.securityContext as Obj).sysctls = [{ name: "kernel.sem", value: "250 32000 100 128" }];
    },
    baseline: ["unsafe-sysctls"],
    restricted: ["unsafe-sysctls"],
  },
  {
    name: "the newer safe net.* sysctls",
    change: (s) => {
      (s.securityContext as Obj).sysctls = [
        { name: "net.ipv4.tcp_rmem", value: "4096 87380 16777216" },
        { name: "net.ipv4.tcp_keepalive_probes", value: "5" },
        { name: "net.ipv4.ip_local_reserved_ports", value: "30000-30010" },
      ];
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "a Windows HostProcess pod",
    change: (s) => {
      s.os = { name: "windows" };
      (s.securityContext as Obj).windowsOptions = { hostProcess: true };
    },
    baseline: ["windows-host-process"],
    restricted: ["windows-host-process"],
  },
  {
    name: "a Windows pod without the Linux-only settings",
    change: (s) => {
      s.os = { name: "windows" };
      s.securityContext = { runAsNonRoot: true };
      for (const c of [...s.initContainers, ...s.containers, ...s.ephemeralContainers])
        c.securityContext = undefined;
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "a Windows pod without runAsNonRoot (not exempt)",
    change: (s) => {
      s.os = { name: "windows" };
      s.securityContext = undefined;
    },
    baseline: [],
    restricted: ["run-as-non-root"],
  },
  {
    name: "a Linux pod spelling its OS (not exempt)",
    change: (s) => {
      s.os = { name: "linux" };
      sc(s.containers[0]).allowPrivilegeEscalation = undefined;
    },
    baseline: [],
    restricted: ["privilege-escalation"],
  },
  {
    name: "root in a user namespace",
    change: (s) => {
      s.hostUsers = false;
      s.securityContext = { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } };
      sc(s.containers[0]).runAsNonRoot = false;
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "runAsUser 0 on a container although the pod requires non-root",
    change: (s) => {
      sc(s.containers[0]).runAsUser = 0;
    },
    baseline: [],
    restricted: ["run-as-root-uid"],
  },
  {
    name: "runAsNonRoot false on a container overriding the pod",
    change: (s) => {
      sc(s.initContainers[0]).runAsNonRoot = false;
    },
    baseline: [],
    restricted: ["run-as-non-root"],
  },
  {
    name: "runAsNonRoot on every container instead of the pod",
    change: (s) => {
      (s.securityContext as Obj).runAsNonRoot = undefined;
      for (const c of [...s.initContainers, ...s.containers, ...s.ephemeralContainers])
        sc(c).runAsNonRoot = true;
    },
    baseline: [],
    restricted: [],
  },
  {
    name: "runAsNonRoot missing on the ephemeral container, non-zero runAsUser everywhere",
    change: (s) => {
      s.securityContext = { runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } };
      for (const c of [...s.initContainers, ...s.containers]) sc(c).runAsNonRoot = true;
    },
    baseline: [],
    restricted: ["run-as-non-root"],
  },
  {
    name: "privilege escalation allowed on an init container",
    change: (s) => {
      sc(s.initContainers[0]).allowPrivilegeEscalation = true;
    },
    baseline: [],
    restricted: ["privilege-escalation"],
  },
];

function podDocument(spec: Spec, annotations: Record<string, string>): Obj {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "case", annotations }, spec };
}

function pssIds(yamlText: string, profile: "baseline" | "restricted"): string[] {
  const file = loadKubernetesFile("case.yaml", yamlText);
  expect(file.errors).toEqual([]);
  const ids = audit(file.resources, { profile })
    .map((f) => f.ruleId)
    .filter((id) => PSS_IDS.has(id));
  return [...new Set(ids)].sort();
}

function build(c: Case): string {
  const spec = restrictedSpec();
  const annotations: Record<string, string> = {};
  c.change(spec, annotations);
  return stringify(podDocument(spec, annotations));
}

describe("PSS conformance (Kubernetes 1.35)", () => {
  for (const c of CASES) {
    it(`${c.name}: baseline ${JSON.stringify(c.baseline)}, restricted ${JSON.stringify(c.restricted)}`, () => {
      const text = build(c);
      expect(pssIds(text, "baseline")).toEqual([...c.baseline].sort());
      expect(pssIds(text, "restricted")).toEqual([...c.restricted].sort());
    });
  }

  it("baseline never reports a restricted-only rule", () => {
    const restrictedOnly = new Set(pssRules.filter((r) => r.pssLevel === "restricted").map((r) => r.id));
    for (const c of CASES) {
      expect(c.baseline.filter((id) => restrictedOnly.has(id))).toEqual([]);
      expect(c.restricted).toEqual(expect.arrayContaining(c.baseline));
    }
  });

  it("every PSS rule is exercised by a rejected case", () => {
    const seen = new Set(CASES.flatMap((c) => c.restricted));
    expect([...PSS_IDS].filter((id) => !seen.has(id))).toEqual([]);
  });
});

/** Where each workload kind keeps its pod template. */
const KINDS: { apiVersion: string; kind: string; wrap: (template: Obj) => Obj }[] = [
  { apiVersion: "v1", kind: "PodTemplate", wrap: (t) => ({ template: t }) },
  { apiVersion: "apps/v1", kind: "Deployment", wrap: (t) => ({ spec: { selector: {}, template: t } }) },
  {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    wrap: (t) => ({ spec: { serviceName: "s", selector: {}, template: t } }),
  },
  { apiVersion: "apps/v1", kind: "DaemonSet", wrap: (t) => ({ spec: { selector: {}, template: t } }) },
  { apiVersion: "apps/v1", kind: "ReplicaSet", wrap: (t) => ({ spec: { selector: {}, template: t } }) },
  { apiVersion: "v1", kind: "ReplicationController", wrap: (t) => ({ spec: { template: t } }) },
  { apiVersion: "batch/v1", kind: "Job", wrap: (t) => ({ spec: { template: t } }) },
  {
    apiVersion: "batch/v1",
    kind: "CronJob",
    wrap: (t) => ({ spec: { schedule: "* * * * *", jobTemplate: { spec: { template: t } } } }),
  },
];

describe("PSS conformance across workload kinds", () => {
  const sample = CASES.filter((c) =>
    [
      "a restricted pod",
      "the AppArmor annotation set to unconfined",
      "an unmasked /proc in a user namespace (baseline relaxes, restricted does not)",
      "seccomp missing on the ephemeral container only",
      "a hostPath volume",
    ].includes(c.name),
  );
  for (const k of KINDS) {
    it(`${k.kind} pod templates are held to the same standard`, () => {
      for (const c of sample) {
        const spec = restrictedSpec();
        const annotations: Record<string, string> = {};
        c.change(spec, annotations);
        const doc = {
          apiVersion: k.apiVersion,
          kind: k.kind,
          metadata: { name: "case" },
          ...k.wrap({ metadata: { annotations }, spec }),
        };
        const text = stringify(doc);
        expect(pssIds(text, "baseline"), c.name).toEqual([...c.baseline].sort());
        expect(pssIds(text, "restricted"), c.name).toEqual([...c.restricted].sort());
      }
    });
  }
});
