/**
 * Policy evaluation benchmark: `npm run bench:policy`.
 *
 * Builds a 200-service stack the way the engine hands it to the pack (each service a
 * docker.Container, a Kubernetes Deployment, Service and NetworkPolicy; a third of them
 * unhardened), evaluates every shipshape policy on it through the engine-faithful harness,
 * and prints the cost per resource. Target: under 0.5 ms per resource.
 * The figure is the time spent inside the pack's policy functions (summed around each call);
 * the harness's own work (deserializing props for every call, as the engine does) is printed
 * separately as the total.
 * Options: --services N (default 200), --rounds N (default 5; the best round is reported).
 */

import { evaluatePolicies, type HarnessResource, shipshapePolicies } from "../src/policy";
import { countFlag } from "./args";

const TARGET_MS_PER_RESOURCE = 0.5;

const DIGEST = `sha256:${"c".repeat(64)}`;

function urn(type: string, name: string): string {
  return `urn:pulumi:bench::bench::${type}::${name}`;
}

/** One service: four resources; every third one is left unhardened. */
function service(i: number): HarnessResource[] {
  const name = `svc-${i}`;
  const hardened = i % 3 !== 0;
  const container: HarnessResource = {
    type: "docker:index/container:Container",
    name,
    urn: urn("docker:index/container:Container", name),
    props: hardened
      ? {
          image: `registry.example.com/team/${name}@${DIGEST}`,
          user: "10001:10001",
          readOnly: true,
          capabilities: { drops: ["ALL"] },
          securityOpts: ["no-new-privileges:true"],
          memory: 256,
          cpus: "0.5",
          restart: "on-failure",
          maxRetryCount: 3,
          healthcheck: { tests: ["CMD", "/healthz"] },
          ports: [{ internal: 8080, external: 20000 + i, ip: "127.0.0.1" }],
          networksAdvanced: [{ name: "backend" }],
        }
      : { image: `nginx:latest`, ports: [{ internal: 80, external: 30000 + i }], privileged: i % 2 === 0 },
  };
  const labels = { app: name };
  const podSecurity = hardened ? { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } : {};
  const containerSecurity = hardened
    ? { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } }
    : { privileged: true };
  const deployment: HarnessResource = {
    type: "kubernetes:apps/v1:Deployment",
    name,
    urn: urn("kubernetes:apps/v1:Deployment", name),
    props: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "shop" },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: podSecurity,
            containers: [
              {
                name: "app",
                image: `registry.example.com/team/${name}@${DIGEST}`,
                securityContext: containerSecurity,
                resources: {
                  limits: { cpu: "500m", memory: "256Mi" },
                  requests: { cpu: "100m", memory: "128Mi" },
                },
              },
            ],
          },
        },
      },
    },
  };
  const svc: HarnessResource = {
    type: "kubernetes:core/v1:Service",
    name,
    urn: urn("kubernetes:core/v1:Service", name),
    props: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: "shop" },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    },
  };
  const netpol: HarnessResource = {
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name,
    urn: urn("kubernetes:networking.k8s.io/v1:NetworkPolicy", name),
    props: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name, namespace: "shop" },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ["Ingress", "Egress"] },
    },
  };
  return [container, deployment, svc, netpol];
}

async function main(): Promise<void> {
  const services = countFlag("--services", 200);
  const rounds = countFlag("--rounds", 5);
  const resources = Array.from({ length: services }, (_, i) => service(i)).flat();
  const policies = shipshapePolicies();
  // Time spent inside the pack's own functions, summed around every call the harness makes.
  let inside = 0n;
  const timed = policies.map((p) => {
    const wrap =
      <A extends unknown[], R>(fn: (...a: A) => R) =>
      (...a: A): R => {
        const start = process.hrtime.bigint();
        try {
          return fn(...a);
        } finally {
          inside += process.hrtime.bigint() - start;
        }
      };
    if ("validateStack" in p) return { ...p, validateStack: wrap(p.validateStack) };
    const v = p.validateResource;
    return v === undefined || Array.isArray(v) ? p : { ...p, validateResource: wrap(v) };
  });
  let best = Number.POSITIVE_INFINITY;
  let bestInside = Number.POSITIVE_INFINITY;
  let violations = 0;
  for (let r = 0; r < rounds; r++) {
    inside = 0n;
    const start = process.hrtime.bigint();
    const result = await evaluatePolicies(timed, resources);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    bestInside = Math.min(bestInside, Number(inside) / 1e6);
    violations = result.violations.length;
  }
  const perResource = bestInside / resources.length;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `policy pack: ${policies.length} policies, ${services} services = ${resources.length} resources`,
  );
  console.log(
    `best of ${rounds} rounds: ${bestInside.toFixed(1)} ms inside the pack's policies, ${best.toFixed(1)} ms with the harness; ${violations} violations`,
  );
  console.log(
    `per resource: ${perResource.toFixed(3)} ms of policy evaluation (target < ${TARGET_MS_PER_RESOURCE} ms: ${perResource < TARGET_MS_PER_RESOURCE ? "meets" : "misses"}); ${(best / resources.length).toFixed(3)} ms including the harness; peak RSS ${rss.toFixed(0)} MiB`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
