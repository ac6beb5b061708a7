/**
 * Constructs N SecureServices (half Docker, half Kubernetes) under Pulumi mocks and prints the
 * time until every child resource is registered and the peak memory. Each size runs in its own
 * process so that peaks do not mix.  Target: 1,000 services under 3 s and 500 MB, linear in N.
 *   npx tsx bench/secure-service.ts            # sizes 250, 500, 1000
 *   npx tsx bench/secure-service.ts 2000       # custom sizes
 *   npx tsx bench/secure-service.ts --rounds 5 # five runs each for the share (default 3)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppType, ProfileTemplate, SecureService } from "../src/components";
import { type CapturedResource, runUnderMocks } from "../src/program/mock-run";
import { countFlag } from "./args";
import { median } from "./stats";

/** Where a services run leaves what it registered, for the replay of the same size. */
const captureFile = (n: number) =>
  join(tmpdir(), `shipshape-bench-secure-service-${process.env.BENCH_RUN_ID ?? process.ppid}-${n}.json`);

const TARGET_MS = 3000;
const TARGET_MB = 500;
/** Runs of the largest size for the share (`--rounds N`): the services run and the replays take turns. */
const ROUNDS = countFlag("--rounds", 3);

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

/** The provider classes SecureService's children are, by type token: the replay registers each with its captured args. */
const CLASSES: Record<
  string,
  new (
    name: string,
    args: never,
    opts?: pulumi.CustomResourceOptions,
  ) => pulumi.Resource
> = {
  "docker:index/container:Container": docker.Container as never,
  "docker:index/network:Network": docker.Network as never,
  "kubernetes:core/v1:ServiceAccount": k8s.core.v1.ServiceAccount as never,
  "kubernetes:apps/v1:Deployment": k8s.apps.v1.Deployment as never,
  "kubernetes:core/v1:Service": k8s.core.v1.Service as never,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s.networking.v1.NetworkPolicy as never,
  "kubernetes:policy/v1:PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget as never,
};

/**
 * The resources a SecureService run registered, registered again with exactly their args as
 * plain values (components as bare ComponentResources): the SDK's cost for the same resources
 * and properties, so the difference is shipshape's own work (validation, specs, plans, Outputs).
 */
function replay(file: string): void {
  const captured = JSON.parse(readFileSync(file, "utf8")) as CapturedResource[];
  for (const r of captured) {
    if (r.type.startsWith("shipshape:")) {
      new pulumi.ComponentResource(r.type, r.name, {}, {});
      continue;
    }
    const Class = CLASSES[r.type];
    if (!Class) throw new Error(`the replay does not know ${r.type}: add its class to CLASSES`);
    new Class(r.name, r.inputs as never);
  }
}

/**
 * The replay again, with what any component costs the SDK besides its children: each component
 * registered with the inputs it recorded (which `shipshape render` reads back), and its children
 * parented to it. Not part of the share's baseline; it shows how much of the share that is.
 */
function replayAsComponents(file: string): void {
  const captured = JSON.parse(readFileSync(file, "utf8")) as CapturedResource[];
  const components = new Map<string, pulumi.ComponentResource>();
  for (const r of captured)
    if (r.type.startsWith("shipshape:"))
      components.set(r.name, new pulumi.ComponentResource(r.type, r.name, r.inputs, {}));
  for (const r of captured) {
    if (r.type.startsWith("shipshape:")) continue;
    // The bench's children are named after their service: `svc-1` or `svc-1-<suffix>`.
    const parent = components.get(r.name) ?? components.get(r.name.slice(0, r.name.lastIndexOf("-")));
    if (!parent) throw new Error(`the replay finds no component for ${r.name}`);
    const Class = CLASSES[r.type];
    if (!Class) throw new Error(`the replay does not know ${r.type}: add its class to CLASSES`);
    new Class(r.name, r.inputs as never, { parent });
  }
}

async function child(n: number, mode: string): Promise<void> {
  // Pulumi records a stack trace for every promise and resource it creates. Under tsx those
  // stacks are translated through source maps, which dominates the run; a compiled program
  // (what `pulumi up` runs from dist/) does not pay that, so neither does the bench.
  process.setSourceMapsEnabled(false);
  if (process.env.BENCH_STACK_LIMIT) Error.stackTraceLimit = Number(process.env.BENCH_STACK_LIMIT);
  const digest = `sha256:${"e".repeat(64)}`;
  // Diagnostics: BENCH_COUNT_PROMISES=1 counts the promises the run creates (slows it down).
  let promises = 0;
  if (process.env.BENCH_COUNT_PROMISES)
    require("node:async_hooks")
      .createHook({
        init(_id: number, type: string) {
          if (type === "PROMISE") promises++;
        },
      })
      .enable();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const registered = await runUnderMocks(() => {
    if (mode === "baseline") return baseline(n);
    if (mode === "replay") return replay(captureFile(n));
    if (mode === "replay-components") return replayAsComponents(captureFile(n));
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
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  if (mode === "services") writeFileSync(captureFile(n), JSON.stringify(registered));
  process.stdout.write(
    `${JSON.stringify({ n, ms, cpuMs, maxRssMb, registered: registered.length, ...(process.env.BENCH_COUNT_PROMISES ? { promises } : {}) })}\n`,
  );
}

interface Row {
  n: number;
  ms: number;
  /** CPU time of the run (user + system): less at the mercy of a loaded machine than `ms`. */
  cpuMs: number;
  maxRssMb: number;
  registered: number;
}

/** Runs one size in a fresh process, so that peak memory is that size's alone. */
function measure(n: number, mode: "services" | "baseline" | "replay" | "replay-components"): Row {
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
      `minimal baseline: the same provider types (${base.registered} resources) with minimal args and no component: ${base.ms.toFixed(0)} ms, ${base.maxRssMb.toFixed(0)} MB\n`,
    );
    // The share is the difference of two whole runs, each of which varies by ±10 % on a quiet
    // machine: the services run and the replays take turns, and the medians are compared.
    const services = [largest];
    const same: Row[] = [];
    const asComponents: Row[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) services.push(measure(largest.n, "services"));
      same.push(measure(largest.n, "replay"));
      asComponents.push(measure(largest.n, "replay-components"));
    }
    const ms = (r: Row[]) => median(r.map((x) => x.ms));
    const cpu = (r: Row[]) => median(r.map((x) => x.cpuMs));
    const mb = (r: Row[]) => median(r.map((x) => x.maxRssMb));
    const share = ms(services) - ms(same);
    process.stdout.write(
      `SDK baseline: the ${same[0]?.registered} resources the run registered, again with exactly their args as plain values (the components bare: no inputs, no children): ${ms(same).toFixed(0)} ms, ${mb(same).toFixed(0)} MB\n` +
        `shipshape's own share at ${largest.n} services: ${share.toFixed(0)} ms = ${((100 * share) / ms(same)).toFixed(1)} % of the SDK baseline (target ≤ 15 %), ${(mb(services) - mb(same)).toFixed(0)} MB; medians of ${ROUNDS} runs each, taking turns (services ${ms(services).toFixed(0)} ms)\n`,
    );
    const cpuShare = cpu(services) - cpu(same);
    process.stdout.write(
      `  the same in CPU time (diagnostic, for a loaded machine): ${cpu(services).toFixed(0)} ms against ${cpu(same).toFixed(0)} ms: ${cpuShare.toFixed(0)} ms = ${((100 * cpuShare) / cpu(same)).toFixed(1)} %\n`,
    );
    const componentPart = ms(asComponents) - ms(same);
    process.stdout.write(
      `  of it, what any component costs the SDK (the replay with each component's recorded inputs and its children parented to it: ${ms(asComponents).toFixed(0)} ms, ${mb(asComponents).toFixed(0)} MB): ${componentPart.toFixed(0)} ms = ${((100 * componentPart) / ms(same)).toFixed(1)} %; the rest: ${(share - componentPart).toFixed(0)} ms = ${((100 * (share - componentPart)) / ms(same)).toFixed(1)} %\n`,
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

/**
 * Where the CPU time of a services run goes, by the code that spent it (self time from a V8 CPU
 * profile): shipshape's own modules (and zod, which only shipshape calls), the Pulumi SDK (with
 * protobuf and the stack traces it records for every resource and promise), module loading, GC.
 */
function profileShares(n: number): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-bench-prof-"));
  try {
    const r = spawnSync(
      process.execPath,
      [
        "--cpu-prof",
        `--cpu-prof-dir=${dir}`,
        ...process.execArgv,
        __filename,
        "--child",
        String(n),
        "services",
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`profiled bench child failed: ${r.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("the profiled child wrote no .cpuprofile");
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
      nodes: { id: number; callFrame: { url: string; functionName: string } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const kind = new Map(profile.nodes.map((node) => [node.id, classify(node.callFrame)]));
    const out: Record<string, number> = {};
    profile.samples.forEach((id, i) => {
      const k = kind.get(id) ?? "other";
      out[k] = (out[k] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
    });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const REPO_SRC = `${join(__dirname, "..", "src")}/`;

function classify(frame: { url: string; functionName: string }): string {
  const url = frame.url.replace(/^file:\/\//, "");
  if (url.startsWith(REPO_SRC) || url.includes("/node_modules/zod/")) return "shipshape";
  if (/\/node_modules\/(@pulumi|google-protobuf|@grpc)\//.test(url)) return "sdk";
  if (frame.functionName === "defaultPrepareStackTrace" || url === "node:internal/errors") return "sdk";
  if (frame.functionName === "(garbage collector)") return "gc";
  if (
    url.startsWith("node:internal/modules") ||
    url.includes("/node_modules/tsx/") ||
    frame.functionName === "wrapSafe"
  )
    return "loading";
  return "other";
}

function printProfile(n: number): void {
  const shares = profileShares(n);
  const ms = (k: string) => shares[k] ?? 0;
  process.stdout.write(
    `CPU profile of ${n} services (self time): shipshape's code ${ms("shipshape").toFixed(0)} ms, Pulumi SDK ${ms("sdk").toFixed(0)} ms, GC ${ms("gc").toFixed(0)} ms, module loading ${ms("loading").toFixed(0)} ms, other ${ms("other").toFixed(0)} ms\n` +
      `shipshape's code = ${((100 * ms("shipshape")) / Math.max(1, ms("sdk"))).toFixed(1)} % of the SDK's (target ≤ 15 %)\n`,
  );
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  child(Number(args[1]), args[2] ?? "services").catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  });
} else {
  // The sizes are the arguments before any flag.
  const flag = args.findIndex((a) => a.startsWith("--"));
  const given = flag < 0 ? args : args.slice(0, flag);
  const sizes = given.length > 0 ? given.map(Number) : [250, 500, 1000];
  parent(sizes);
  printProfile(sizes[sizes.length - 1] ?? 1000);
}
