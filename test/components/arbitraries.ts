/** fast-check arbitraries of valid SecureService args, shared by the property tests. */
import fc from "fast-check";
import { AppType, Capability, ProfileTemplate, Protocol, type SecureServiceArgs } from "../../src/components";

export const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/);
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const image = fc
  .tuple(
    fc.option(fc.constantFrom("registry.example.com", "localhost:5000", "ghcr.io"), { nil: undefined }),
    fc.array(dnsLabel, { minLength: 1, maxLength: 3 }),
    fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/), { nil: undefined }),
    hex64,
  )
  .map(
    ([registry, path, tag, digest]) =>
      `${registry ? `${registry}/` : ""}${path.join("/")}${tag ? `:${tag}` : ""}@sha256:${digest}`,
  );
const envName = fc
  .stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/)
  .filter((n) => !/(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i.test(n));
const labelValue = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/);
const writable = fc.uniqueArray(
  fc.constantFrom("/tmp", "/var/cache/app", "/run/app", "/home/app", "/data/scratch"),
  { maxLength: 3 },
);
const memoryMi = fc.integer({ min: 4, max: 4096 });
const milliCpu = fc.integer({ min: 10, max: 4000 });

export function common(kind: "docker" | "kubernetes") {
  return fc
    .record({
      image,
      command: fc.option(
        fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
        { nil: undefined },
      ),
      args: fc.option(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), { nil: undefined }),
      ports: fc.uniqueArray(fc.integer({ min: 1024, max: 65535 }), { maxLength: 3 }),
      udp: fc.boolean(),
      env: fc.dictionary(envName, fc.string({ maxLength: 20 }), { maxKeys: 4 }),
      health: fc.record({
        command: fc
          .tuple(
            fc.stringMatching(/^\/[a-z][a-z0-9/]{0,9}$/),
            fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 2 }),
          )
          .map(([program, rest]) => [program, ...rest]),
        intervalSeconds: fc.integer({ min: 1, max: 300 }),
        retries: fc.integer({ min: 1, max: 10 }),
      }),
      memLimit: memoryMi,
      memReq: fc.integer({ min: 0, max: 100 }),
      cpuLimit: milliCpu,
      cpuReq: fc.integer({ min: 0, max: 100 }),
      pids: fc.integer({ min: 8, max: 4096 }),
      replicas: fc.integer({ min: 1, max: 5 }),
      uid: fc.integer({ min: 1, max: 2_000_000 }),
      gid: fc.integer({ min: 1, max: 2_000_000 }),
      writable,
      volumes: fc.uniqueArray(dnsLabel, { maxLength: 2 }),
      bindService: fc.boolean(),
      appType: fc.constantFrom(...Object.values(AppType)),
      template: fc.constantFrom(...Object.values(ProfileTemplate)),
      labels: fc.dictionary(dnsLabel, labelValue, { maxKeys: 3 }),
      ingress: fc.array(fc.dictionary(dnsLabel, labelValue, { minKeys: 1, maxKeys: 2 }), { maxLength: 2 }),
      egress: fc.array(fc.dictionary(dnsLabel, labelValue, { minKeys: 1, maxKeys: 2 }), { maxLength: 2 }),
      pdb: fc.boolean(),
      retries: fc.integer({ min: 1, max: 5 }),
    })
    .map((r): SecureServiceArgs => {
      const replicas = kind === "docker" && r.ports.length > 0 ? 1 : r.replicas;
      const args: SecureServiceArgs = {
        ...(kind === "docker" ? { docker: {} } : { kubernetes: { namespace: "shop" } }),
        image: r.image,
        ports: r.ports.map((p, i) => ({
          containerPort: p,
          protocol: r.udp && i === 0 ? Protocol.Udp : Protocol.Tcp,
        })),
        env: r.env,
        healthCheck: r.health,
        resources: {
          memory: `${r.memLimit}Mi`,
          memoryRequest: `${Math.max(4, Math.floor((r.memLimit * r.memReq) / 100))}Mi`,
          cpu: `${r.cpuLimit}m`,
          cpuRequest: `${Math.max(10, Math.floor((r.cpuLimit * r.cpuReq) / 100))}m`,
          pids: r.pids,
        },
        replicas,
        user: `${r.uid}:${r.gid}`,
        writablePaths: r.writable,
        volumes: r.volumes.map((name, i) => ({ name, mountPath: `/srv/volume-${i}`, readOnly: i === 0 })),
        capabilities: r.bindService ? [Capability.NetBindService] : [],
        runtimeProfile: { appType: r.appType, template: r.template },
        labels: r.labels,
        ingressFrom: r.ingress.map((podLabels) => ({ podLabels })),
        egressTo: r.egress.map((podLabels) => ({ podLabels, ports: [5432] })),
        restartMaxRetries: r.retries,
      };
      if (r.command) args.command = r.command;
      if (r.args) args.args = r.args;
      if (r.pdb && replicas > 1) args.podDisruptionBudgetMinAvailable = replicas - 1;
      return args;
    });
}
