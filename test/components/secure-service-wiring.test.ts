/** SecureService's children under Pulumi mocks: what is registered, with which hardened args. */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Capability, SecureService, type SecureServiceArgs } from "../../src/components";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";
import { SECURE_SERVICE_OUTPUTS } from "./surface";

const IMAGE = `registry.example.com/shop/web@sha256:${"c".repeat(64)}`;
// biome-ignore lint/suspicious/noExplicitAny: captured inputs are plain JSON
type Inputs = Record<string, any>;

/** Builds under mocks; `opts` is a function so that providers register there too. */
async function build(
  args: () => SecureServiceArgs,
  name = "web",
  opts: () => pulumi.ComponentResourceOptions = () => ({}),
): Promise<CapturedResource[]> {
  return runUnderMocks(() => {
    new SecureService(name, args(), opts());
  });
}
const byType = (rs: CapturedResource[], type: string): Inputs[] =>
  rs.filter((r) => r.type === type).map((r) => r.inputs as Inputs);

describe("SecureService on Docker", () => {
  it("registers a network and a hardened container", async () => {
    const rs = await build(() => ({
      docker: {},
      image: IMAGE,
      ports: [{ containerPort: 8080 }],
      healthCheck: { command: ["/app/health"] },
      writablePaths: ["/tmp"],
      env: { MODE: "prod" },
    }));
    expect(rs.map((r) => r.type)).toEqual([
      "shipshape:index:SecureService",
      "docker:index/network:Network",
      "docker:index/container:Container",
    ]);
    const [c] = byType(rs, "docker:index/container:Container");
    expect(c).toMatchObject({
      image: IMAGE,
      user: "10001:10001",
      readOnly: true,
      privileged: false,
      capabilities: { drops: ["ALL"], adds: [] },
      memory: 256,
      memorySwap: 256,
      cpus: "0.5",
      restart: "on-failure",
      maxRetryCount: 5,
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      ports: [{ ip: "127.0.0.1", external: 8080, internal: 8080, protocol: "tcp" }],
      networksAdvanced: [{ name: "web-net" }],
      ipcMode: "private",
      envs: ["MODE=prod"],
      sysctls: { "net.ipv4.ip_unprivileged_port_start": "1024" },
    });
    expect(c?.tmpfs["/tmp"]).toMatch(/^rw,noexec,nosuid,nodev,size=67108864,uid=10001,gid=10001,mode=0700$/);
    expect(c?.securityOpts[0]).toBe("no-new-privileges:true");
    expect(JSON.parse(c?.securityOpts[1].slice("seccomp=".length)).defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(c?.healthcheck.tests).toEqual(["CMD", "/app/health"]);
    expect(c?.ulimits).toContainEqual({ name: "nproc", soft: 256, hard: 256 });
    for (const absent of ["pidMode", "usernsMode", "devices", "volumes", "networkMode", "cgroupParent"])
      expect(c).not.toHaveProperty(absent);
  });

  it("joins the target's networks, binds its address, and takes the provider from the options", async () => {
    const rs = await build(
      () => ({
        docker: { networks: ["backend"], bindAddress: "10.1.2.3" },
        image: IMAGE,
        ports: [{ containerPort: 8080, hostPort: 18080 }],
        healthCheck: { command: ["/app/health"] },
      }),
      "web",
      () => ({ provider: new docker.Provider("remote", { host: "ssh://deploy@host" }) }),
    );
    expect(rs.map((r) => r.type)).toContain("pulumi:providers:docker");
    expect(rs.find((r) => r.type === "docker:index/container:Container")?.provider).toMatch(
      /pulumi:providers:docker::remote::/,
    );
    expect(byType(rs, "docker:index/network:Network")).toEqual([]);
    const [c] = byType(rs, "docker:index/container:Container");
    expect(c?.networksAdvanced).toEqual([{ name: "backend" }]);
    expect(c?.ports[0]).toMatchObject({ ip: "10.1.2.3", external: 18080 });
  });

  it("records overrides with their reasons, and grants NET_BIND_SERVICE by leaving low ports to it", async () => {
    const rs = await build(() => ({
      docker: {},
      image: IMAGE,
      healthCheck: { command: ["/app/health"] },
      capabilities: [Capability.NetBindService],
      overrides: {
        writableRootFilesystem: { reason: "vendor binary writes its cache in /opt" },
        extraCapabilities: { capabilities: [Capability.Chown], reason: "entrypoint chowns its spool" },
      },
    }));
    const [c] = byType(rs, "docker:index/container:Container");
    expect(c?.readOnly).toBe(false);
    expect(c?.capabilities.adds).toEqual(["CHOWN", "NET_BIND_SERVICE"]);
    expect(c?.sysctls).toEqual({});
    const labels = Object.fromEntries(c?.labels.map((l: Inputs) => [l.label, l.value]));
    expect(labels["shipshape.io/override.writableRootFilesystem"]).toBe(
      "vendor binary writes its cache in /opt",
    );
    expect(labels["shipshape.io/suppress.read-only-root-filesystem"]).toMatch(/vendor binary/);
    expect(labels["shipshape.io/suppress.drop-all-capabilities"]).toMatch(/chowns its spool/);
  });

  it("checks an image given as an Output when it resolves, failing the deployment", async () => {
    // The engine reports an error thrown while resolving an input; here it surfaces as a rejection.
    const failures: unknown[] = [];
    const record = (e: unknown) => failures.push(e);
    process.on("unhandledRejection", record);
    try {
      await runUnderMocks(() => {
        new SecureService("web", {
          docker: {},
          image: pulumi.output("Not A Valid Ref"),
          healthCheck: { command: ["/app/health"] },
        });
      });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off("unhandledRejection", record);
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(String(failures[0])).toMatch(/image: image reference does not parse.*\(got "Not A Valid Ref"\)/s);
  });
});

describe("SecureService on Kubernetes", () => {
  it("registers ServiceAccount, Deployment, Service, PDB and a default-deny NetworkPolicy", async () => {
    const rs = await build(() => ({
      kubernetes: { namespace: "shop" },
      image: IMAGE,
      ports: [{ containerPort: 8080, hostPort: 80, name: "http" }],
      healthCheck: { httpGetPath: "/healthz" },
      replicas: 3,
      podDisruptionBudgetMinAvailable: 2,
      writablePaths: ["/tmp"],
    }));
    expect(rs.map((r) => r.type).sort()).toEqual([
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "shipshape:index:SecureService",
    ]);
    expect(byType(rs, "kubernetes:core/v1:ServiceAccount")[0]).toMatchObject({
      automountServiceAccountToken: false,
      metadata: { namespace: "shop" },
    });
    const [d] = byType(rs, "kubernetes:apps/v1:Deployment");
    const pod = d?.spec.template.spec;
    expect(pod).toMatchObject({
      serviceAccountName: "web",
      automountServiceAccountToken: false,
      hostNetwork: false,
      hostPID: false,
      hostIPC: false,
    });
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const c = pod.containers[0];
    expect(c.image).toBe(IMAGE);
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.resources.limits).toMatchObject({ cpu: "500m", memory: "256Mi" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: 8080 });
    expect(pod.volumes).toEqual([{ name: "writable-0", emptyDir: { sizeLimit: "64Mi" } }]);
    expect(byType(rs, "kubernetes:networking.k8s.io/v1:NetworkPolicy")[0]?.spec).toMatchObject({
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [],
    });
    expect(byType(rs, "kubernetes:core/v1:Service")[0]?.spec.ports).toEqual([
      { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
    ]);
  });

  it('writes the namespace on every object, "default" when none is given', async () => {
    const rs = await build(() => ({
      kubernetes: {},
      image: IMAGE,
      ports: [{ containerPort: 8080 }],
      healthCheck: { command: ["/h"] },
    }));
    const objects = rs.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects.length).toBe(4);
    for (const o of objects) expect((o.inputs as Inputs).metadata.namespace, o.type).toBe("default");
  });

  it("uses Localhost seccomp profiles when the target installs them", async () => {
    const rs = await build(() => ({
      kubernetes: { namespace: "shop", localhostSeccompProfiles: true },
      image: IMAGE,
      healthCheck: { command: ["/app/health"] },
    }));
    const [d] = byType(rs, "kubernetes:apps/v1:Deployment");
    expect(d?.spec.template.spec.securityContext.seccompProfile).toEqual({
      type: "Localhost",
      localhostProfile: "shipshape/shipshape-web-default.json",
    });
  });

  it("skips the NetworkPolicy only through the named override, recording the reason", async () => {
    const rs = await build(() => ({
      kubernetes: { namespace: "shop" },
      image: IMAGE,
      healthCheck: { command: ["/app/health"] },
      overrides: { skipNetworkPolicy: { reason: "SegmentedNetworks wires this namespace" } },
    }));
    expect(byType(rs, "kubernetes:networking.k8s.io/v1:NetworkPolicy")).toEqual([]);
    const [d] = byType(rs, "kubernetes:apps/v1:Deployment");
    expect(d?.metadata.annotations["shipshape.io/override.skipNetworkPolicy"]).toBe(
      "SegmentedNetworks wires this namespace",
    );
    expect(d?.metadata.annotations["shipshape.io/suppress.missing-network-policy"]).toMatch(
      /SegmentedNetworks/,
    );
  });
});

describe("SecureService's public surface", () => {
  it("exposes only Outputs, all registered, for Docker and Kubernetes", async () => {
    for (const target of [{ docker: {} }, { kubernetes: { namespace: "shop" } }]) {
      let service: SecureService | undefined;
      await runUnderMocks(() => {
        service = new SecureService("web", {
          ...target,
          image: IMAGE,
          ports: [{ containerPort: 8080 }],
          healthCheck: { command: ["/app/health"] },
        });
      });
      const fields = Object.entries(service as object).filter(([k]) => !k.startsWith("__") && k !== "urn");
      expect(fields.map(([k]) => k).sort()).toEqual(SECURE_SERVICE_OUTPUTS);
      for (const [k, v] of fields) expect(pulumi.Output.isInstance(v), k).toBe(true);
    }
  });

  it("names what it made on each target", async () => {
    const values: Record<string, unknown> = {};
    await runUnderMocks(async () => {
      const { onDocker, onKube } = webAndApi();
      const read = (o: pulumi.Output<unknown>) => (o as unknown as { promise(): Promise<unknown> }).promise();
      values.dockerContainers = await read(onDocker.containerNames);
      values.dockerNetwork = await read(onDocker.networkName);
      values.dockerNamespace = await read(onDocker.namespace);
      values.kubeNamespace = await read(onKube.namespace);
      values.kubeDeployment = await read(onKube.deploymentName);
      values.kubeService = await read(onKube.serviceName);
      values.kubeContainers = await read(onKube.containerNames);
    });
    expect(values).toEqual({
      dockerContainers: ["web"],
      dockerNetwork: "web-net",
      dockerNamespace: undefined,
      kubeNamespace: "shop",
      kubeDeployment: "api",
      kubeService: "api",
      kubeContainers: [],
    });
  });
});

/** The two services these tests read: `web` on Docker, `api` on Kubernetes in namespace `shop`. */
function webAndApi(dockerReplicas?: number): { onDocker: SecureService; onKube: SecureService } {
  return {
    onDocker: new SecureService("web", {
      docker: {},
      image: IMAGE,
      ...(dockerReplicas === undefined ? {} : { replicas: dockerReplicas }),
      healthCheck: { command: ["/h"] },
    }),
    onKube: new SecureService("api", {
      kubernetes: { namespace: "shop" },
      image: IMAGE,
      ports: [{ containerPort: 8080 }],
      healthCheck: { command: ["/h"] },
    }),
  };
}

/** What the mock monitor receives as the component's outputs (registerResourceOutputs). */
function recordRegisteredOutputs(into: Record<string, Record<string, unknown>>): void {
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): { registerResourceOutputs(req: unknown, cb: unknown): void };
  };
  const monitor = settings.getMonitor();
  const original = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    const r = req as { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } };
    into[r.getUrn().split("::").pop() ?? ""] = r.getOutputs().toJavaScript();
    original(req, cb);
  };
}

describe("SecureService's registered outputs", () => {
  it("are what its fields resolve to, on Docker (two replicas) and Kubernetes", async () => {
    const registered: Record<string, Record<string, unknown>> = {};
    const fields: Record<string, Record<string, unknown>> = {};
    await runUnderMocks(async () => {
      recordRegisteredOutputs(registered);
      const { onDocker, onKube } = webAndApi(2);
      const services = [onDocker, onKube];
      const read = (o: pulumi.Output<unknown>) => (o as unknown as { promise(): Promise<unknown> }).promise();
      for (const s of services) {
        const values: Record<string, unknown> = {};
        for (const k of SECURE_SERVICE_OUTPUTS) {
          const value = await read(
            (s as unknown as Record<string, pulumi.Output<unknown>>)[k] as pulumi.Output<unknown>,
          );
          if (value !== undefined) values[k] = value;
        }
        fields[(s as unknown as { __name: string }).__name] = values;
      }
    });
    expect(registered).toEqual(fields);
    expect(registered).toEqual({
      web: {
        image: IMAGE,
        containerNames: ["web-0", "web-1"],
        containerIds: ["web-0-id", "web-1-id"],
        networkName: "web-net",
      },
      api: {
        image: IMAGE,
        containerNames: [],
        containerIds: [],
        namespace: "shop",
        deploymentName: "api",
        serviceName: "api",
        serviceAccountName: "api",
      },
    });
  });

  it("each field's Output carries the child it comes from", async () => {
    const resources: Record<string, string[]> = {};
    await runUnderMocks(async () => {
      const { onDocker, onKube } = webAndApi();
      const names = async (o: pulumi.Output<unknown>) =>
        [...(await (o as unknown as { allResources(): Promise<Set<pulumi.Resource>> }).allResources())]
          .map((r) => (r as unknown as { __name: string }).__name)
          .sort();
      resources.containerNames = await names(onDocker.containerNames);
      resources.containerIds = await names(onDocker.containerIds);
      resources.networkName = await names(onDocker.networkName);
      resources.image = await names(onDocker.image);
      resources.deploymentName = await names(onKube.deploymentName);
      resources.serviceName = await names(onKube.serviceName);
      resources.serviceAccountName = await names(onKube.serviceAccountName);
    });
    expect(resources).toEqual({
      containerNames: ["web"],
      containerIds: ["web"],
      networkName: ["web-net"],
      image: [],
      deploymentName: ["api"],
      serviceName: ["api-svc"],
      serviceAccountName: ["api-sa"],
    });
  });
});
