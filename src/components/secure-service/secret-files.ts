/**
 * Secrets given to a SecureService as files (`secretFiles`), never as environment variables.
 *
 * Docker: the read-only root filesystem refuses any copy, and a tmpfs exists only while the
 * container runs, so each directory of secret files is a named volume of its own. A *loader*
 * container, created but never started, mounts the volumes writable and receives the files
 * through the provider's `uploads` (the content a Pulumi secret, so it is ciphertext in the
 * state), owned by the service's uid:gid with their mode; the service's containers mount the
 * volumes read-only. A changed value replaces the loader, and the service's containers carry the
 * loader's id in a label, so exactly the services that mount the secret are replaced.
 *
 * Kubernetes: one `Secret` per service (immutable, so a changed value is a new Secret and the
 * Deployment rolls), a `secret` volume per directory with `defaultMode` and `readOnly`.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { text } from "../validation/fields";
import type { ArgsIssue } from "../validation/issues";
import { SUPPRESS_KEY_PREFIX } from "./overrides";

/** Where secret files may live: the directory Docker and Compose use for secrets. */
export const SECRETS_ROOT = "/run/secrets";
/** Label on a service's containers: the id of the loader holding its current secret files. */
export const SECRET_FILES_LABEL = "shipshape.io/secret-files";
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MODES = [0o400, 0o440];

export const secretFileSchema = z.strictObject({
  value: z.any(),
  path: text("secretFiles path"),
  mode: z.number({ error: "mode must be a number such as 0o400 (256)" }).optional(),
});

/** One secret file, checked and defaulted. */
export interface SecretFileSpec {
  value: pulumi.Input<string>;
  path: string;
  /** The directory (one volume each) and the file's name in it. */
  dir: string;
  fileName: string;
  mode: number;
}

/** Checks `secretFiles` against every rule that does not need the value, and the other paths of the service. */
export function checkSecretFiles(
  given: readonly z.infer<typeof secretFileSchema>[] | undefined,
  otherPaths: { writablePaths: string[]; volumePaths: string[] },
  issues: ArgsIssue[],
): SecretFileSpec[] {
  const specs: SecretFileSpec[] = [];
  const seen = new Set<string>();
  (given ?? []).forEach((f, i) => {
    const where = `secretFiles.${i}`;
    const path = f.path;
    const segments = path.split("/");
    const fileName = segments[segments.length - 1] ?? "";
    const dir = segments.slice(0, -1).join("/");
    const allowed =
      path.startsWith(`${SECRETS_ROOT}/`) &&
      !segments.slice(1).some((s) => s === "" || s === "." || s === "..") &&
      segments.slice(3).every((s) => FILE_NAME.test(s)) &&
      FILE_NAME.test(fileName);
    if (!allowed) {
      issues.push({
        path: `${where}.path`,
        value: path,
        message: `secret files live under ${SECRETS_ROOT}/ (each directory a read-only mount of its own): give a normalized path such as "${SECRETS_ROOT}/api-key", of letters, digits, '_', '.' and '-'`,
      });
      return;
    }
    if (seen.has(path))
      issues.push({
        path: `${where}.path`,
        value: path,
        message: "two secret files have one path; give each its own",
      });
    seen.add(path);
    const clash = [...otherPaths.writablePaths, ...otherPaths.volumePaths].find(
      (p) => p === dir || p === path || dir.startsWith(`${p}/`) || p.startsWith(`${dir}/`),
    );
    if (clash !== undefined)
      issues.push({
        path: `${where}.path`,
        value: path,
        message: `the secret's directory ${dir} overlaps the writable path or volume ${clash}; secrets get a read-only directory of their own`,
      });
    const mode = f.mode ?? 0o400;
    if (!MODES.includes(mode))
      issues.push({
        path: `${where}.mode`,
        value: `0o${mode.toString(8)}`,
        message:
          "a secret file's mode is 0o400 (256, the owner reads it) or 0o440 (288, the service's group too): nothing wider than 0440, no write or execute bits",
      });
    if (typeof f.value === "string" && f.value.length === 0)
      issues.push({
        path: `${where}.value`,
        value: f.value,
        sensitive: true,
        message: "the secret is empty; give its value (e.g. a SecretStore's values[name])",
      });
    else if (f.value === undefined || f.value === null)
      issues.push({
        path: `${where}.value`,
        value: f.value,
        message: "value is required: a SecretStore's values[name], or a Pulumi secret",
      });
    specs.push({ value: f.value, path, dir, fileName, mode });
  });
  // The Kubernetes Secret's keys join the directory and the name with '.': two files must not meet.
  const keys = new Map<string, string>();
  for (const f of specs) {
    const key = secretKey(f);
    const other = keys.get(key);
    if (other !== undefined && other !== f.path)
      issues.push({
        path: "secretFiles",
        value: [other, f.path],
        message: `these paths give the same Secret key "${key}"; rename one`,
      });
    keys.set(key, f.path);
  }
  // Directories nest one volume inside another: not allowed (the outer would hide or hold the inner).
  const dirs = [...new Set(specs.map((s) => s.dir))];
  for (const d of dirs)
    for (const other of dirs)
      if (other !== d && other.startsWith(`${d}/`))
        issues.push({
          path: "secretFiles",
          value: [d, other],
          message:
            "secret directories nest; put the secrets of one service in one directory or in sibling ones",
        });
  return specs;
}

/** The secret's directories, in a stable order: one volume (Docker) or one secret volume (Kubernetes) each. */
export function secretDirectories(files: readonly SecretFileSpec[]): string[] {
  return [...new Set(files.map((f) => f.dir))].sort();
}

/** A value as a Pulumi secret that fails loudly when it resolves to nothing. */
export function secretValue(owner: string, file: SecretFileSpec): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.output(file.value).apply((v) => {
      // Nothing at all is what the mock runtime of `shipshape check` gives a generated secret.
      if (v === "" || (v !== undefined && typeof v !== "string"))
        throw new Error(
          `SecureService ${owner}: the secret for ${file.path} resolved to an empty value or a non-string; give it a value`,
        );
      return v;
    }),
  );
}

export interface DockerSecretFiles {
  /** Read-only mounts for the service's containers. */
  mounts: docker.types.input.ContainerMount[];
  /** The label that ties the containers to the loader holding their current files. */
  label: docker.types.input.ContainerLabel;
}

/** The rules a loader that never runs cannot meet, and why: written on it as suppressions. */
const LOADER_SUPPRESSIONS: Record<string, string> = {
  "read-only-root-filesystem":
    "never started: this container only receives the secret files into its volumes, and the engine refuses copies into a read-only root filesystem",
  "run-as-non-root":
    "never started: no user is set so the engine keeps the uploaded files' owner (the service's uid) instead of resolving one",
  "pids-limit": "never started: no process ever runs in this container, which only holds the secret files",
};

/**
 * The Docker side: one volume per secret directory, the loader that writes the files into them,
 * and what the service's containers add to mount them.
 */
export function createDockerSecretFiles(args: {
  serviceName: string;
  files: SecretFileSpec[];
  uid: number;
  gid: number;
  image: pulumi.Input<string>;
  labels: Record<string, string>;
  parent: pulumi.Resource;
  dependsOn: pulumi.Input<pulumi.Resource[]> | undefined;
}): DockerSecretFiles {
  const { serviceName, files, parent } = args;
  const dirs = secretDirectories(files);
  const labelList = (extra: Record<string, string>) =>
    Object.entries({ ...args.labels, "shipshape.io/service": serviceName, ...extra }).map(
      ([label, value]) => ({
        label,
        value,
      }),
    );
  const volumes = dirs.map(
    (_dir, i) =>
      new docker.Volume(
        `${serviceName}-secrets-${i}`,
        { name: `${serviceName}-secrets-${i}`, labels: labelList({}) },
        { parent, dependsOn: args.dependsOn },
      ),
  );
  const loader = new docker.Container(
    `${serviceName}-secrets`,
    {
      name: `${serviceName}-secrets`,
      image: args.image,
      start: false,
      mustRun: false,
      // Never started; hardened anyway, so that nothing about it needs explaining but the two below.
      capabilities: { drops: ["ALL"] },
      securityOpts: ["no-new-privileges:true"],
      networkMode: "none",
      // Nothing here ever runs: a missing entrypoint, and a health check that says so to audits.
      entrypoints: ["/nonexistent"],
      healthcheck: { tests: ["CMD", "/nonexistent"] },
      restart: "no",
      memory: 16,
      memorySwap: 16,
      cpus: "0.1",
      labels: labelList(
        Object.fromEntries(
          Object.entries(LOADER_SUPPRESSIONS).map(([rule, why]) => [`${SUPPRESS_KEY_PREFIX}${rule}`, why]),
        ),
      ),
      mounts: volumes.map((v, i) => ({ type: "volume", source: v.name, target: dirs[i] as string })),
      uploads: files.map((f) => ({
        file: f.path,
        content: secretValue(serviceName, f),
        owner: String(args.uid),
        group: String(args.gid),
        permissions: `0${f.mode.toString(8)}`,
      })),
    },
    // The loader's name is fixed: the old one goes before the new one writes the files.
    { parent, dependsOn: args.dependsOn, deleteBeforeReplace: true, additionalSecretOutputs: ["uploads"] },
  );
  return {
    mounts: volumes.map((v, i) => ({
      type: "volume",
      source: v.name,
      target: dirs[i] as string,
      readOnly: true,
    })),
    label: { label: SECRET_FILES_LABEL, value: loader.id },
  };
}

/** The Kubernetes Secret's key of a file (keys are letters, digits, '-', '_' and '.'). */
export function secretKey(file: SecretFileSpec): string {
  return `${file.dir.slice(SECRETS_ROOT.length + 1).replace(/\//g, ".")}${file.dir === SECRETS_ROOT ? "" : "."}${file.fileName}`;
}

/** The pod's secret volumes and mounts, and the Secret's data (values as given: Inputs). */
export function kubernetesSecretParts(
  secretName: string,
  files: readonly SecretFileSpec[],
): {
  volumes: Record<string, unknown>[];
  mounts: Record<string, unknown>[];
  data: Record<string, pulumi.Input<string>>;
} {
  const dirs = secretDirectories(files);
  return {
    volumes: dirs.map((dir, i) => ({
      name: `secrets-${i}`,
      secret: {
        secretName,
        defaultMode: 0o400,
        items: files
          .filter((f) => f.dir === dir)
          .map((f) => ({ key: secretKey(f), path: f.fileName, mode: f.mode })),
      },
    })),
    mounts: dirs.map((dir, i) => ({ name: `secrets-${i}`, mountPath: dir, readOnly: true })),
    data: Object.fromEntries(files.map((f) => [secretKey(f), f.value])),
  };
}
