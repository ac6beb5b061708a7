/**
 * Constructs N SecureServices (half Docker, half Kubernetes) under Pulumi mocks and prints the
 * time until every child resource is registered and the peak memory. Each size runs in its own
 * process so that peaks do not mix.  Target: 1,000 services under 3 s and 500 MB, linear in N.
 *   npx tsx bench/secure-service.ts            # sizes 250, 500, 1000
 *   npx tsx bench/secure-service.ts 2000       # custom sizes
 */
import { spawnSync } from "node:child_process";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { AppType, ProfileTemplate, SecureService } from "../src/components";
import { runUnderMocks } from "../src/program/mock-run";

const TARGET_MS = 3000;
const TARGET_MB = 500;

/**
 * The same child resources SecureService registers, with minimal args and no component: what
 * Pulumi itself costs per resource under mocks, so shipshape's own share can be read off.
 */
function baseline(n: number): void {
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      new docker.Network(`svc-${i}-net`, { name: `svc-${i}-net` });
      new docker.Container(`svc-${i}`, { image: "x" });
    } else {
      const metadata = { name: `svc-${i}` };
      new k8s.core.v1.ServiceAccount(`svc-${i}-sa`, { metadata });
      new k8s.apps.v1.Deployment(`svc-${i}`, { metadata, spec: { selector: {}, template: {} } });
      new k8s.core.v1.Service(`svc-${i}-svc`, { metadata });
      new k8s.networking.v1.NetworkPolicy(`svc-${i}-netpol`, { metadata, spec: { podSelector: {} } });
    }
  }
}

async function child(n: number, mode: string): Promise<void> {
  // Pulumi records a stack trace for every promise and resource it creates. Under tsx those
  // stacks are translated through source maps, which dominates the run; a compiled program
  // (what `pulumi up` runs from dist/) does not pay that, so neither does the bench.
  process.setSourceMapsEnabled(false);
  if (process.env.BENCH_STACK_LIMIT) Error.stackTraceLimit = Number(process.env.BENCH_STACK_LIMIT);
  const digest = `sha256:${"e".repeat(64)}`;
  const start = performance.now();
  const registered = await runUnderMocks(() => {
    if (mode === "baseline") return baseline(n);
    for (let i = 0; i < n; i++) {
      const onDocker = i % 2 === 0;
      new SecureService(`svc-${i}`, {
        ...(onDocker ? { docker: {} } : { kubernetes: { namespace: "bench" } }),
        image: `registry.example.com/bench/svc-${i % 10}@${digest}`,
        ports: [{ containerPort: 8080, hostPort: 20000 + i }],
        env: { INDEX: String(i) },
        healthCheck: { command: ["/app/health"] },
        resources: { cpu: "250m", memory: "128Mi" },
        writablePaths: ["/tmp"],
        runtimeProfile: {
          appType: i % 3 === 0 ? AppType.Worker : AppType.Web,
          template: ProfileTemplate.Default,
        },
        labels: { bench: "true" },
      });
    }
  });
  const ms = performance.now() - start;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ n, ms, maxRssMb, registered: registered.length })}\n`);
}

interface Row {
  n: number;
  ms: number;
  maxRssMb: number;
  registered: number;
}

/** Runs one size in a fresh process, so that peak memory is that size's alone. */
function measure(n: number, mode: "services" | "baseline"): Row {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", String(n), mode], {
    encoding: "utf8",
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`bench child for ${n} (${mode}) failed`);
  }
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Row;
}

function parent(sizes: number[]): void {
  const rows = sizes.map((n) => measure(n, "services"));
  process.stdout.write("services  resources  time (ms)  ms/service  peak RSS (MB)\n");
  for (const r of rows) {
    process.stdout.write(
      `${String(r.n).padStart(8)}  ${String(r.registered).padStart(9)}  ${r.ms.toFixed(0).padStart(9)}  ${(r.ms / r.n).toFixed(3).padStart(10)}  ${r.maxRssMb.toFixed(0).padStart(13)}\n`,
    );
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last && last.n > first.n) {
    const growth = last.ms / last.n / (first.ms / first.n);
    process.stdout.write(
      `time per service grows ×${growth.toFixed(2)} from ${first.n} to ${last.n} services (linear ≈ 1)\n`,
    );
  }
  const largest = rows[rows.length - 1];
  if (largest) {
    const base = measure(largest.n, "baseline");
    process.stdout.write(
      `baseline: the same ${base.registered} provider resources with minimal args and no component: ${base.ms.toFixed(0)} ms, ${base.maxRssMb.toFixed(0)} MB\n` +
        `shipshape's own share at ${largest.n} services: ${(largest.ms - base.ms).toFixed(0)} ms, ${(largest.maxRssMb - base.maxRssMb).toFixed(0)} MB\n`,
    );
  }
  const thousand = rows.find((r) => r.n === 1000);
  if (thousand) {
    const ok = thousand.ms < TARGET_MS && thousand.maxRssMb < TARGET_MB;
    process.stdout.write(
      `1000 services: ${thousand.ms.toFixed(0)} ms, ${thousand.maxRssMb.toFixed(0)} MB — target < ${TARGET_MS} ms and < ${TARGET_MB} MB: ${ok ? "met" : "NOT met"}\n`,
    );
  }
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  child(Number(args[1]), args[2] ?? "services").catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  });
} else {
  parent(args.length > 0 ? args.map(Number) : [250, 500, 1000]);
}
