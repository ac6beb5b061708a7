import {
  type Build,
  type BuildStage,
  type Container,
  type DaemonConfig,
  type Instruction,
  type Origin,
  parseImageRef,
  type SourceFormat,
  type Workload,
} from "../../../src/model";

/** Builders of model objects for rule unit tests (the adapters have their own tests). */
export function origin(format: SourceFormat, file = `test.${format}`): Origin {
  return { format, file, location: { file, line: 1, column: 1 }, locations: new Map() };
}

export function daemon(fields: Partial<DaemonConfig> = {}): DaemonConfig {
  return {
    kind: "daemon",
    name: "daemon.json",
    labels: {},
    annotations: {},
    origin: origin("daemon-json", "daemon.json"),
    suppressions: [],
    settings: {},
    logOpts: {},
    insecureRegistries: [],
    hosts: [],
    authorizationPlugins: [],
    ...fields,
  };
}

/** A daemon.json that passes every daemon rule. */
export function hardenedDaemon(fields: Partial<DaemonConfig> = {}): DaemonConfig {
  return daemon({
    icc: false,
    usernsRemap: "default",
    liveRestore: true,
    userlandProxy: false,
    noNewPrivileges: true,
    logDriver: "syslog",
    defaultUlimits: { nofile: { soft: 1024, hard: 4096 } },
    authorizationPlugins: ["opa-docker-authz"],
    hosts: ["unix:///var/run/docker.sock"],
    ...fields,
  });
}

export function container(fields: Partial<Container> = {}): Container {
  return {
    name: "app",
    role: "container",
    env: [],
    envFromSecrets: [],
    ports: [],
    securityContext: {},
    resources: {},
    probes: [],
    mounts: [],
    devices: [],
    ...fields,
  };
}

export function workload(
  source: "compose" | "kubernetes" | "docker-engine",
  fields: Partial<Workload> = {},
): Workload {
  return {
    kind: "workload",
    sourceKind:
      source === "compose" ? "compose-service" : source === "kubernetes" ? "Deployment" : "docker-container",
    name: "web",
    labels: {},
    annotations: {},
    origin: origin(source),
    suppressions: [],
    securityContext: {},
    containers: [container()],
    volumes: [],
    networks: source === "compose" ? ["default"] : [],
    podLabels: {},
    podAnnotations: {},
    ...fields,
  };
}

/**
 * A Build from Dockerfile lines, one instruction per line (`KEYWORD args`). Enough for rule
 * tests: `--flag=value` options, JSON exec form and `FROM image [AS name]`.
 */
export function dockerfile(...lines: string[]): Build {
  const instructions: Instruction[] = [];
  const stages: BuildStage[] = [];
  for (const line of lines) {
    const [keyword = "", ...rest] = line.trim().split(/\s+/);
    let text = line.trim().slice(keyword.length).trim();
    const flags: Record<string, string> = {};
    for (;;) {
      const m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(text);
      if (!m || keyword.toUpperCase() === "RUN" || rest.length === 0) break;
      flags[m[1] ?? ""] = m[2] ?? "";
      text = text.slice(m[0].length);
    }
    const instruction: Instruction = { keyword: keyword.toUpperCase(), text, flags, heredocs: [] };
    if (text.startsWith("[")) {
      try {
        instruction.execForm = JSON.parse(text) as string[];
      } catch {
        // shell form after all
      }
    }
    const index = instructions.push(instruction) - 1;
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = text.split(/\s+/);
      const baseIsStage = stages.some((s) => s.name === image.toLowerCase());
      const stage: BuildStage = { baseIsStage, from: index, body: [] };
      if (as?.toUpperCase() === "AS" && name) stage.name = name.toLowerCase();
      if (!baseIsStage && image !== "scratch") {
        stage.base = parseImageRef(image) ?? { raw: image, repository: image, unparsed: true };
      }
      stages.push(stage);
    } else {
      stages[stages.length - 1]?.body.push(index);
    }
  }
  return {
    kind: "build",
    name: "Dockerfile",
    labels: {},
    annotations: {},
    origin: origin("dockerfile", "Dockerfile"),
    suppressions: [],
    instructions,
    stages,
  };
}
