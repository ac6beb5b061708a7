/**
 * ObservabilityStack's args and renderings under Pulumi's mocks: malformed args fail with the
 * field path, the bad value and the fix before anything is registered; on Docker the stack is an
 * internal network and three SecureServices, the exporter alone holding the engine's socket
 * (read-only, its group, no port); on Kubernetes Prometheus and Alertmanager pass Pod Security
 * `restricted` and the default profile when read back through the audit.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ObservabilityStack, type ObservabilityStackArgs } from "../../src";
import { audit } from "../../src/engine/audit";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";
import { expectRefused, type RefusedCase } from "./refused-args";

const IMAGES = {
  prometheusImage: "obs/prometheus:2.42.0",
  alertmanagerImage: "obs/alertmanager:0.25.0",
};
const dockerArgs = (over: Record<string, unknown> = {}) =>
  ({
    docker: {},
    ...IMAGES,
    engineExporterImage: "obs/engine-exporter:1",
    engineSocketGroupId: 10900,
    ...over,
  }) as ObservabilityStackArgs;
const TOKEN_URL = "https://hooks.example.test/services/T0K3N-SECRET";

const cases: RefusedCase[] = [
  { what: "no target", args: { ...IMAGES }, path: "docker", message: /needs a target: docker: \{\}/ },
  {
    what: "no Prometheus image",
    args: dockerArgs({ prometheusImage: undefined }),
    path: "prometheusImage",
    message: /give the Prometheus image/,
  },
  {
    what: "no exporter image on Docker",
    args: dockerArgs({ engineExporterImage: undefined }),
    path: "engineExporterImage",
    message: /engine-stats exporter/,
  },
  {
    what: "no socket group on Docker",
    args: dockerArgs({ engineSocketGroupId: undefined }),
    path: "engineSocketGroupId",
    message: /stat -c %g/,
  },
  {
    what: "socket group 0",
    args: dockerArgs({ engineSocketGroupId: 0 }),
    path: "engineSocketGroupId",
    message: /whole number from 1/,
  },
  {
    what: "relative socket path",
    args: dockerArgs({ engineSocketPath: "docker.sock" }),
    path: "engineSocketPath",
    message: /absolute/,
  },
  {
    what: "metrics address with a scheme",
    args: dockerArgs({ engineMetricsAddress: "http://172.17.0.1:9323" }),
    path: "engineMetricsAddress",
    message: /host:port target/,
  },
  {
    what: "networks given",
    args: dockerArgs({ docker: { networks: ["app"] } }),
    path: "docker.networks",
    message: /scrapeNetworks/,
  },
  {
    what: "CPU percent over 100",
    args: dockerArgs({ alerts: { cpuPercent: 150 } }),
    path: "alerts.cpuPercent",
    message: /from 1 to 100/,
  },
  {
    what: "bad duration",
    args: dockerArgs({ alerts: { resourceFor: "soon" } }),
    path: "alerts.resourceFor",
    message: /Prometheus duration/,
  },
  {
    what: "job name taken",
    args: dockerArgs({ scrapeTargets: [{ job: "prometheus", targets: ["web:8080"] }] }),
    path: "scrapeTargets.0.job",
    message: /already taken/,
  },
  {
    what: "target with a path",
    args: dockerArgs({ scrapeTargets: [{ job: "web", targets: ["web:8080/metrics"] }] }),
    path: "scrapeTargets.0.targets.0",
    message: /host:port/,
  },
  {
    what: "both receivers",
    args: dockerArgs({ alertReceiver: { url: TOKEN_URL, hostPort: 9095 } }),
    path: "alertReceiver",
    message: /exactly one of/,
  },
  {
    what: "receiver path without port",
    args: dockerArgs({ alertReceiver: { url: TOKEN_URL, path: "/x" } }),
    path: "alertReceiver.path",
    message: /goes with hostPort/,
  },
  {
    what: "exporter image on Kubernetes",
    args: { kubernetes: { namespace: "obs" }, ...IMAGES, engineExporterImage: "x:1" },
    path: "engineExporterImage",
    message: /leave it out on Kubernetes/,
  },
  {
    what: "host receiver on Kubernetes",
    args: { kubernetes: { namespace: "obs" }, ...IMAGES, alertReceiver: { hostPort: 9095 } },
    path: "alertReceiver.hostPort",
    message: /Docker setting/,
  },
  {
    what: "receiver URL not http(s), never shown",
    args: dockerArgs({ alertReceiver: { url: "ftp://T0K3N-SECRET@hooks.example.test/x" } }),
    path: "alertReceiver.url",
    message: /the receiver's URL is not an http\(s\) URL/,
  },
  {
    what: "unknown field",
    args: dockerArgs({ grafana: true }),
    path: "",
    message: /unknown field\(s\) grafana/,
  },
];

async function register(args: ObservabilityStackArgs): Promise<CapturedResource[]> {
  let error: unknown;
  const registered = await runUnderMocks(() => {
    try {
      new ObservabilityStack("obs", args);
    } catch (e) {
      error = e;
    }
  });
  if (error) throw error;
  return registered;
}

describe("ObservabilityStack validates its args before registering anything", () => {
  it.each(cases)("$what", (c) =>
    expectRefused((args) => new ObservabilityStack("obs", args as ObservabilityStackArgs), c, "T0K3N-SECRET"),
  );
});

describe("ObservabilityStack on Docker", () => {
  it("is an internal network and three SecureServices; only the exporter holds the socket, read-only", async () => {
    const registered = await register(dockerArgs({ engineSocketPath: "/run/engine.sock" }));
    const network = registered.find((r) => r.type === "docker:index/network:Network");
    expect(network?.inputs).toMatchObject({ name: "obs-monitoring", internal: true });
    const services = registered.filter((r) => r.type === "shipshape:index:SecureService").map((r) => r.name);
    expect(services.sort()).toEqual(["obs-alertmanager", "obs-engine-exporter", "obs-prometheus"]);
    const containers = registered.filter((r) => r.type === "docker:index/container:Container");
    const running = containers.filter((c) => !c.name.endsWith("-secrets"));
    expect(running.map((c) => c.name).sort()).toEqual([
      "obs-alertmanager",
      "obs-engine-exporter",
      "obs-prometheus",
    ]);
    for (const c of running) {
      expect(c.inputs).toMatchObject({ readOnly: true, privileged: false });
      expect(c.inputs.ports ?? []).toEqual([]);
      expect(c.inputs.networksAdvanced).toEqual([{ name: "obs-monitoring" }]);
      expect((c.inputs.capabilities as { drops: string[] }).drops).toEqual(["ALL"]);
    }
    const binds = (c: CapturedResource) =>
      ((c.inputs.mounts as { type: string }[] | undefined) ?? []).filter((m) => m.type === "bind");
    const exporter = running.find((c) => c.name === "obs-engine-exporter") as CapturedResource;
    // A uid of its own each, none the services' 10001 (the nproc ulimit counts per uid on the host).
    expect(running.map((c) => c.inputs.user).sort()).toEqual(["10090:10090", "10091:10091", "10092:10092"]);
    expect(binds(exporter)).toEqual([
      { type: "bind", source: "/run/engine.sock", target: "/var/run/docker.sock", readOnly: true },
    ]);
    expect(exporter.inputs.groupAdds).toEqual(["10900"]);
    const labels = Object.fromEntries(
      (exporter.inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]),
    );
    expect(labels["shipshape.io/override.engineSocket"]).toMatch(/GET requests only/);
    expect(labels["shipshape.io/suppress.docker-socket-mount"]).toMatch(/^override engineSocket: /);
    for (const c of running.filter((x) => x !== exporter)) {
      expect(binds(c)).toEqual([]);
      expect(c.inputs.groupAdds).toBeUndefined();
    }
  });

  it("keeps a receiver URL out of the state's plain text", async () => {
    const registered = await register(dockerArgs({ alertReceiver: { url: TOKEN_URL } }));
    // Under the mocks a secret is still readable, wrapped in Pulumi's secret signature: what the
    // engine encrypts in the state.
    const SECRET_SIG = "4dabf18193072939515e22adb298388d";
    const stack = registered.find((r) => r.type === "shipshape:index:ObservabilityStack");
    expect((stack?.inputs.alertReceiver as Record<string, unknown> | undefined)?.[SECRET_SIG]).toBe(
      "1b47061264138c4ac30d75fd1eb44270",
    );
    const loader = registered.find((r) => r.name === "obs-alertmanager-secrets");
    const uploads = JSON.stringify(loader?.inputs.uploads);
    expect(uploads).toContain(SECRET_SIG);
  });
});

describe("ObservabilityStack on Kubernetes", () => {
  it("renders Prometheus and Alertmanager that pass Pod Security restricted and the default profile", async () => {
    const registered = await register({
      kubernetes: { namespace: "obs" },
      ...IMAGES,
      prometheusImage: `obs/prometheus@sha256:${"a".repeat(64)}`,
      alertmanagerImage: `obs/alertmanager@sha256:${"b".repeat(64)}`,
      scrapeTargets: [
        { job: "web", targets: ["web.shop.svc:8080"], podLabels: { "app.kubernetes.io/name": "web" } },
      ],
    });
    const objects = registered.filter((r) => r.type.startsWith("kubernetes:"));
    // Secrets' values are secret-wrapped under the mocks; the workloads are what the audit judges.
    const workloads = objects.filter((o) => !o.type.endsWith(":Secret"));
    const kinds = objects.map(
      (o) => `${o.type.split(":").pop()}/${(o.inputs.metadata as { name: string }).name}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        "Deployment/obs-prometheus",
        "Deployment/obs-alertmanager",
        "NetworkPolicy/obs-prometheus",
        "NetworkPolicy/obs-alertmanager",
      ]),
    );
    expect(registered.some((r) => r.type.startsWith("docker:"))).toBe(false);
    const yaml = workloads.map((o) => stringify(o.inputs)).join("---\n");
    const loaded = loadKubernetesFile("obs.yaml", yaml);
    expect(loaded.errors).toEqual([]);
    for (const profile of ["restricted", "default"] as const) {
      const findings = audit(loaded.resources, { profile }).filter((f) => f.severity !== "low");
      expect(
        findings.map((f) => `${f.ruleId} ${f.object}: ${f.message}`),
        profile,
      ).toEqual([]);
    }
    const prometheus = objects.find(
      (o) =>
        o.type.endsWith("NetworkPolicy") && (o.inputs.metadata as { name: string }).name === "obs-prometheus",
    );
    expect(JSON.stringify(prometheus?.inputs)).toContain('"app.kubernetes.io/name":"obs-alertmanager"');
  });
});
