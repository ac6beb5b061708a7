/**
 * What `shipshape init` writes: one service, as a hardened multi-stage Dockerfile, a Compose file
 * rendered from the same SecureService args, and a Pulumi program declaring that SecureService.
 */

import { AppType, ProfileTemplate } from "../components/runtime-profile/syscalls";
import type { SecureServiceArgs } from "../components/secure-service/args";

import { InitPlatform, InitType } from "./kinds";

export { InitPlatform, InitType } from "./kinds";

/** The service's name in every template. */
export const SERVICE_NAME = "app";
/** A digest that parses and pins nothing real: every template says to replace it. */
export const PLACEHOLDER_DIGEST = `sha256:${"0".repeat(64)}`;
export const PLACEHOLDER_IMAGE = `registry.example.com/team/${SERVICE_NAME}@${PLACEHOLDER_DIGEST}`;

interface TypeFacts {
  appType: AppType;
  template: ProfileTemplate;
  port?: number;
  entrypoint: string;
  writablePaths: string[];
  volume?: { name: string; mountPath: string };
  memory: string;
  pids: number;
}

const FACTS: Record<InitType, TypeFacts> = {
  [InitType.Web]: {
    appType: AppType.Web,
    template: ProfileTemplate.Default,
    port: 8080,
    entrypoint: "/app/server",
    writablePaths: ["/tmp"],
    memory: "256Mi",
    pids: 128,
  },
  [InitType.Worker]: {
    appType: AppType.Worker,
    template: ProfileTemplate.Strict,
    entrypoint: "/app/worker",
    writablePaths: ["/tmp"],
    memory: "256Mi",
    pids: 64,
  },
  [InitType.Database]: {
    appType: AppType.Database,
    template: ProfileTemplate.Default,
    port: 5432,
    entrypoint: "/app/database",
    writablePaths: ["/tmp", "/run/app"],
    volume: { name: `${SERVICE_NAME}-data`, mountPath: "/var/lib/app" },
    memory: "1Gi",
    pids: 256,
  },
};

/** The SecureService args of the service, shared by the Compose file and the Pulumi program. */
export function serviceArgs(type: InitType, platform: InitPlatform): SecureServiceArgs {
  const f = FACTS[type];
  const args: SecureServiceArgs = {
    ...(platform === InitPlatform.Docker ? { docker: {} } : { kubernetes: { namespace: SERVICE_NAME } }),
    image: PLACEHOLDER_IMAGE,
    command: [f.entrypoint],
    healthCheck: { command: ["/app/healthcheck"], intervalSeconds: 30 },
    resources: { cpu: "500m", memory: f.memory, pids: f.pids },
    writablePaths: f.writablePaths,
    runtimeProfile: { appType: f.appType, template: f.template },
  };
  if (f.port !== undefined) args.ports = [{ containerPort: f.port }];
  if (f.volume) args.volumes = [{ ...f.volume }];
  return args;
}

/** A Dockerfile build-argument reference, `${NAME}`. */
const arg = (name: string) => `\${${name}}`;

export function dockerfile(type: InitType): string {
  const f = FACTS[type];
  return [
    "# syntax=docker/dockerfile:1",
    `# Written by \`shipshape init --type ${type}\`: a starting point that \`shipshape audit\` finds clean.`,
    "# Replace each sha256:000… with the digest of the image you build on",
    "# (`docker buildx imagetools inspect <image>` prints it); a tag alone can move to other content.",
    `ARG BUILD_IMAGE=docker.io/library/debian:12-slim@${PLACEHOLDER_DIGEST}`,
    `ARG RUNTIME_IMAGE=docker.io/library/debian:12-slim@${PLACEHOLDER_DIGEST}`,
    "",
    "# Build stage: compilers and sources stay here, out of the image that runs.",
    `FROM ${arg("BUILD_IMAGE")} AS build`,
    "WORKDIR /src",
    "COPY . .",
    "# Secrets the build needs come in as build secrets, never ARG or ENV: RUN --mount=type=secret,id=…",
    'RUN ["/bin/sh", "-c", "./build.sh /out"]',
    "",
    "# Runtime stage: the built files, owned by a non-root user, nothing else.",
    `FROM ${arg("RUNTIME_IMAGE")}`,
    "COPY --from=build --chown=10001:10001 /out/ /app/",
    "USER 10001:10001",
    ...(f.port !== undefined ? [`EXPOSE ${f.port}`] : []),
    'HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/app/healthcheck"]',
    `ENTRYPOINT ["${f.entrypoint}"]`,
    "",
  ].join("\n");
}

/** A TypeScript literal of plain data, with the enums the component takes written as enum members. */
function literal(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, indent)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const inner = `${indent}  `;
    const fields = Object.entries(value).map(([k, v]) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
      if (k === "appType") return `${inner}${key}: AppType.${enumMember(AppType, v)}`;
      if (k === "template") return `${inner}${key}: ProfileTemplate.${enumMember(ProfileTemplate, v)}`;
      if (k === "image") return `${inner}image`;
      return `${inner}${key}: ${literal(v, inner)}`;
    });
    return fields.length === 0 ? "{}" : `{\n${fields.join(",\n")},\n${indent}}`;
  }
  return JSON.stringify(value);
}

function enumMember(values: Record<string, string>, value: unknown): string {
  const entry = Object.entries(values).find(([, v]) => v === value);
  if (!entry) throw new Error(`no enum member for ${String(value)}`);
  return entry[0];
}

export function pulumiProgram(type: InitType, platform: InitPlatform): string {
  const output = platform === InitPlatform.Docker ? "containerNames" : "deploymentName";
  return [
    `// Written by \`shipshape init --type ${type} --platform ${platform}\`: one hardened service.`,
    "//   pulumi preview --policy-pack node_modules/shipshape/policy   checks it before anything runs",
    "// Set your image by digest: pulumi config set image registry.example.com/team/app@sha256:…",
    'import * as pulumi from "@pulumi/pulumi";',
    'import { AppType, ProfileTemplate, SecureService } from "shipshape";',
    "",
    "const config = new pulumi.Config();",
    `const image = config.get("image") ?? ${JSON.stringify(PLACEHOLDER_IMAGE)};`,
    "",
    `const service = new SecureService(${JSON.stringify(SERVICE_NAME)}, ${literal(serviceArgs(type, platform), "")});`,
    "",
    `export const ${output} = service.${output};`,
    "",
  ].join("\n");
}

export function pulumiProject(type: InitType): string {
  return [
    `name: ${SERVICE_NAME}`,
    "runtime: nodejs",
    `description: One hardened ${type} service (written by shipshape init).`,
    "main: index.ts",
    "",
  ].join("\n");
}

export function packageJson(platform: InitPlatform): string {
  const provider = platform === InitPlatform.Docker ? "@pulumi/docker" : "@pulumi/kubernetes";
  return `${JSON.stringify(
    {
      name: SERVICE_NAME,
      private: true,
      dependencies: { "@pulumi/pulumi": "^3.276.0", [provider]: "*", shipshape: "^0.1.0" },
      devDependencies: { typescript: "^5.9.0", "@types/node": "^24.0.0" },
    },
    null,
    2,
  )}\n`;
}

export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      target: "ES2022",
      module: "commonjs",
      esModuleInterop: true,
      skipLibCheck: true,
    },
  },
  null,
  2,
)}\n`;

export const DOCKERIGNORE = [
  "# Kept out of the build context: nothing secret or local reaches an image.",
  ".git",
  ".env",
  "*.pem",
  "*.key",
  "node_modules",
  "",
].join("\n");
