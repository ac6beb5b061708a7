import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { SecureServiceArgsError } from "../components/secure-service/args";
import { dockerContainerPlan } from "../components/secure-service/docker";
import { type KubernetesManifests, kubernetesManifests } from "../components/secure-service/kubernetes";
import { buildServiceSpec, checkImage } from "../components/secure-service/spec";
import { DockerPlatform, isDockerPlatform } from "../platform/docker-platform";
import { isKubernetesPlatform, KubernetesPlatform } from "../platform/kubernetes-platform";
import type { Platform } from "../platform/platform";
import { type CollectedService, startCollecting, stopCollecting } from "./collector";
import { composeFiles, type RenderedFile } from "./compose";
import { kubernetesFiles } from "./kubernetes";
import { type CapturedResource, runUnderMocks } from "./mock-run";

/** What `shipshape render` writes. */
export enum RenderTarget {
  Compose = "compose",
  Kubernetes = "kubernetes",
}

export interface RenderOutput {
  files: RenderedFile[];
  warnings: string[];
}

/** An error in the program or its args, reported without a stack trace. */
export class RenderError extends Error {}

function resolved<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((done) => {
    pulumi.output(value).apply((v) => {
      done(v as T);
      return v;
    });
  });
}

/** The platform a service lands on for `target`: the program's own if it matches, else a default. */
function targetPlatform(declared: Platform | undefined, target: RenderTarget): Platform {
  if (target === RenderTarget.Compose)
    return isDockerPlatform(declared) ? declared : new DockerPlatform("render");
  return isKubernetesPlatform(declared) ? declared : new KubernetesPlatform();
}

/**
 * Renders collected services for a target. Each service is validated again for that target
 * (a Kubernetes rendering needs digests; a Docker one needs a health-check command).
 */
export async function renderServices(
  services: readonly CollectedService[],
  target: RenderTarget,
): Promise<RenderOutput> {
  const warnings: string[] = [];
  const docker: Parameters<typeof composeFiles>[0] = [];
  const kube: KubernetesManifests[] = [];
  for (const { name, args } of services) {
    const platform = targetPlatform(args.platform, target);
    const built = buildServiceSpec(name, { ...args, platform });
    warnings.push(...built.warnings.map((w) => `${name}: ${w}`));
    const image = await resolved(args.image);
    if (typeof args.image !== "string") {
      const checked = checkImage(image, platform, args.overrides);
      if (checked.issues.length > 0) throw new SecureServiceArgsError(name, checked.issues);
      if (checked.warning) warnings.push(`${name}: ${checked.warning}`);
    }
    if (target === RenderTarget.Compose) {
      for (let r = 0; r < built.spec.replicas; r++) {
        docker.push({ plan: dockerContainerPlan(built.spec, platform as DockerPlatform, r), image });
      }
    } else {
      kube.push(kubernetesManifests(built.spec, platform as KubernetesPlatform, image));
    }
  }
  return { files: target === RenderTarget.Compose ? composeFiles(docker) : kubernetesFiles(kube), warnings };
}

/** The entry module of a Pulumi program directory (Pulumi.yaml `main`, else the directory's index). */
export function programEntry(programDir: string): string {
  const dir = resolve(programDir);
  const project = join(dir, "Pulumi.yaml");
  if (!existsSync(project))
    throw new RenderError(`${programDir}: no Pulumi.yaml; point render at a Pulumi program directory`);
  const doc = parse(readFileSync(project, "utf8")) as { runtime?: unknown; main?: unknown } | null;
  const runtime =
    typeof doc?.runtime === "string" ? doc.runtime : (doc?.runtime as { name?: string } | undefined)?.name;
  if (runtime !== "nodejs")
    throw new RenderError(`${project}: runtime is ${JSON.stringify(runtime)}; render runs nodejs programs`);
  const main = typeof doc?.main === "string" ? join(dir, doc.main) : dir;
  for (const candidate of [
    main,
    `${main}.ts`,
    `${main}.js`,
    join(main, "index.ts"),
    join(main, "index.js"),
  ]) {
    if (existsSync(candidate) && !candidate.endsWith(dir) && /\.(ts|js|cjs|mjs)$/.test(candidate))
      return candidate;
  }
  throw new RenderError(`${programDir}: no index.ts or index.js (nor Pulumi.yaml main) to run`);
}

/**
 * Runs the Pulumi program in `programDir` under the mock runtime and returns every resource it
 * registered. The program's own `@pulumi/pulumi` (when it resolves a different copy) is mocked
 * too. Shared by `shipshape render` and `shipshape check`.
 */
export async function runProgram(
  programDir: string,
  names: { project: string; stack: string },
): Promise<CapturedResource[]> {
  const entry = programEntry(programDir);
  if (entry.endsWith(".ts")) {
    try {
      (require("tsx/cjs/api") as { register: () => void }).register();
    } catch {
      // Without tsx, Node's own type stripping loads TypeScript that needs no transform.
    }
  }
  const sdks: { module: typeof pulumi; dir: string }[] = [{ module: pulumi, dir: __dirname }];
  try {
    const theirs = require.resolve("@pulumi/pulumi", { paths: [dirname(entry)] });
    const module = require(theirs) as typeof pulumi;
    if (module !== pulumi) sdks.push({ module, dir: dirname(entry) });
  } catch {
    // The program brings no SDK of its own; it uses ours.
  }
  return runUnderMocks(
    () => {
      const exported = require(entry) as unknown;
      const fn = (exported as { default?: unknown })?.default ?? exported;
      return typeof fn === "function" ? (fn as () => unknown)() : undefined;
    },
    { ...names, sdks },
  );
}

/** Runs a Pulumi program under the mock runtime and returns the SecureServices it declared. */
export async function collectProgram(programDir: string): Promise<CollectedService[]> {
  const collector = startCollecting();
  try {
    await runProgram(programDir, { project: "render", stack: "render" });
  } finally {
    stopCollecting();
  }
  return collector.services;
}

/** `shipshape render <program-dir> --to <target> --out <dir>`: returns the files written. */
export async function renderProgram(
  programDir: string,
  target: RenderTarget,
  outDir: string,
): Promise<RenderOutput & { written: string[] }> {
  const services = await collectProgram(programDir);
  if (services.length === 0)
    throw new RenderError(`${programDir}: the program declares no SecureService; nothing to render`);
  const output = await renderServices(services, target);
  const written: string[] = [];
  for (const f of output.files) {
    const path = join(outDir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    written.push(path);
  }
  return { ...output, written };
}
