import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SecureServiceArgs } from "../components/secure-service/args";
import { dockerContainerPlan } from "../components/secure-service/docker";
import { type KubernetesManifests, kubernetesManifests } from "../components/secure-service/kubernetes";
import { buildServiceSpec } from "../components/secure-service/spec";
import { type CapturedResource, ProgramError, runProgram } from "../program";
import { composeFiles, type RenderedFile } from "./compose";
import { kubernetesFiles } from "./kubernetes";

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

/** One SecureService as the program declared it: its name and its (resolved) args. */
export interface DeclaredService {
  name: string;
  args: SecureServiceArgs;
}

const SECURE_SERVICE = "shipshape:index:SecureService";

/** The SecureServices among a program's registrations, with the args they were given. */
export function declaredServices(resources: readonly CapturedResource[]): DeclaredService[] {
  return resources
    .filter((r) => r.type === SECURE_SERVICE)
    .map((r) => ({ name: r.name, args: r.inputs as unknown as SecureServiceArgs }));
}

/** The args for `target`: the program's own target settings if they match, else the defaults. */
function retargeted(args: SecureServiceArgs, target: RenderTarget): SecureServiceArgs {
  const { docker, kubernetes, ...rest } = args;
  return target === RenderTarget.Compose
    ? { ...rest, docker: docker ?? {} }
    : { ...rest, kubernetes: kubernetes ?? {} };
}

/** Values a file cannot hold: anything still unknown (an output of a resource not yet created). */
function checkRenderable(service: DeclaredService): void {
  for (const [key, value] of Object.entries(service.args.env ?? {}))
    if (typeof value !== "string")
      throw new RenderError(
        `SecureService "${service.name}": env.${key} is not known until deployment (an output of another resource), so it cannot be written to a file; give a plain string, or deploy with pulumi up`,
      );
  (service.args.volumes ?? []).forEach((v, i) => {
    if (v && typeof v === "object" && v.volume !== undefined)
      throw new RenderError(
        `SecureService "${service.name}": volumes.${i}.volume mounts an EncryptedVolume, whose mount is made during deployment (a gocryptfs mount, a claim), so it cannot be written to a file; deploy with pulumi up, or render a named volume (volumes.${i}.name)`,
      );
  });
  if (service.args.segment !== undefined)
    throw new RenderError(
      `SecureService "${service.name}": segment joins a SegmentedNetworks, whose networks come from the topology, which rendering does not write yet; deploy with pulumi up (shipshape graph draws the topology), or render it without segment`,
    );
  if (typeof service.args.image !== "string")
    throw new RenderError(
      `SecureService "${service.name}": image is not known until deployment (an output of another resource); give a reference, or deploy with pulumi up`,
    );
}

/**
 * Renders declared services for a target. Each service is validated again for that target
 * (a Kubernetes rendering needs digests; a Docker one needs a health-check command).
 */
export function renderServices(services: readonly DeclaredService[], target: RenderTarget): RenderOutput {
  const warnings: string[] = [];
  const docker: Parameters<typeof composeFiles>[0] = [];
  const kube: KubernetesManifests[] = [];
  for (const service of services) {
    checkRenderable(service);
    const built = buildServiceSpec(service.name, retargeted(service.args, target));
    warnings.push(...built.warnings.map((w) => `${service.name}: ${w}`));
    const image = built.spec.image as string;
    // Secret values never go into a rendered file: the files say where they are expected.
    const secretPaths = built.spec.secretFiles.map((f) => f.path);
    if (secretPaths.length > 0)
      warnings.push(
        target === RenderTarget.Compose
          ? `${service.name}: its secret files (${secretPaths.join(", ")}) are not rendered; deploy with pulumi up, or mount them as Compose secrets`
          : `${service.name}: the Deployment mounts the Secret ${service.name}-secrets (${secretPaths.join(", ")}), which is not rendered with its values; create it with kubectl create secret generic ${service.name}-secrets, or deploy with pulumi up`,
      );
    if (target === RenderTarget.Compose) {
      for (let r = 0; r < built.spec.replicas; r++)
        docker.push({ plan: dockerContainerPlan(built.spec, r), image });
    } else {
      kube.push(kubernetesManifests(built.spec));
    }
  }
  return { files: target === RenderTarget.Compose ? composeFiles(docker) : kubernetesFiles(kube), warnings };
}

/** Runs a Pulumi program under the mock runtime and returns the SecureServices it declared. */
export async function programServices(programDir: string): Promise<DeclaredService[]> {
  try {
    return declaredServices(await runProgram(programDir, { project: "render", stack: "render" }));
  } catch (e) {
    if (e instanceof ProgramError) throw new RenderError(e.message);
    throw e;
  }
}

/** `shipshape render <program-dir> --to <target> --out <dir>`: returns the files written. */
export async function renderProgram(
  programDir: string,
  target: RenderTarget,
  outDir: string,
): Promise<RenderOutput & { written: string[] }> {
  const services = await programServices(programDir);
  if (services.length === 0)
    throw new RenderError(`${programDir}: the program declares no SecureService; nothing to render`);
  const output = renderServices(services, target);
  const written: string[] = [];
  for (const f of output.files) {
    const path = join(outDir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    written.push(path);
  }
  return { ...output, written };
}
