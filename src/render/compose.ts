import { stringify } from "yaml";
import type { DockerContainerPlan } from "../components/secure-service/docker";

/** A file `shipshape render` writes, relative to the output directory. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** Where the seccomp profiles go, relative to compose.yaml. */
export const SECCOMP_DIR = "seccomp";

/**
 * One Compose service from a hardened Docker plan. Compose reads `seccomp=<file>` itself (a path
 * relative to where `docker compose` runs), so the profile is written next to compose.yaml.
 */
export function composeService(plan: DockerContainerPlan, image: string): Record<string, unknown> {
  const service: Record<string, unknown> = {
    image,
    container_name: plan.containerName,
    user: plan.user,
  };
  if (plan.entrypoint) service.entrypoint = plan.entrypoint;
  if (plan.cmd) service.command = plan.cmd;
  if (plan.env.length > 0)
    service.environment = Object.fromEntries(plan.env.map((e) => [e.name, String(e.value)]));
  Object.assign(service, {
    read_only: plan.readOnlyRootFilesystem,
    tmpfs: Object.entries(plan.tmpfs).map(([path, opts]) => `${path}:${opts}`),
    privileged: false,
    cap_drop: plan.capDrop,
    cap_add: plan.capAdd,
    security_opt: [
      ...plan.securityOpt.filter((o) => !o.startsWith("seccomp=")),
      `seccomp=./${SECCOMP_DIR}/${plan.seccompProfileName}.json`,
    ],
    mem_limit: plan.memoryBytes,
    memswap_limit: plan.memoryBytes,
    cpus: Number(plan.cpus),
    pids_limit: plan.pidsLimit,
    ulimits: Object.fromEntries(plan.ulimits.map((u) => [u.name, { soft: u.soft, hard: u.hard }])),
    healthcheck: {
      test: plan.healthcheck.test,
      interval: `${plan.healthcheck.intervalSeconds}s`,
      timeout: `${plan.healthcheck.timeoutSeconds}s`,
      retries: plan.healthcheck.retries,
      start_period: `${plan.healthcheck.startPeriodSeconds}s`,
    },
    restart: `${plan.restart.policy}:${plan.restart.maxRetries}`,
    logging: { driver: plan.logging.driver, options: plan.logging.options },
    ipc: plan.ipcMode,
    networks: plan.networks,
    labels: plan.labels,
  });
  if (Object.keys(plan.sysctls).length > 0) service.sysctls = plan.sysctls;
  if (plan.ports.length > 0) {
    service.ports = plan.ports.map((p) => ({
      target: p.containerPort,
      published: String(p.hostPort),
      host_ip: p.hostIP,
      protocol: p.protocol,
    }));
  }
  if (plan.volumes.length + plan.binds.length > 0) {
    service.volumes = [
      ...plan.volumes.map((v) => ({
        type: "volume",
        source: v.source,
        target: v.target,
        read_only: v.readOnly,
      })),
      ...plan.binds.map((b) => ({ type: "bind", source: b.source, target: b.target, read_only: b.readOnly })),
    ];
  }
  if (plan.groupAdd.length > 0) service.group_add = plan.groupAdd;
  return service;
}

/** compose.yaml and the seccomp profiles it names. */
export function composeFiles(entries: { plan: DockerContainerPlan; image: string }[]): RenderedFile[] {
  const services: Record<string, unknown> = {};
  const networks: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  const profiles = new Map<string, string>();
  for (const { plan, image } of entries) {
    services[plan.containerName] = composeService(plan, image);
    for (const n of plan.networks) {
      networks[n] = n === plan.networkToCreate ? { name: n, driver: "bridge" } : { name: n, external: true };
    }
    for (const v of plan.volumes) volumes[v.source] = { name: v.source };
    profiles.set(plan.seccompProfileName, plan.seccompProfileJson);
  }
  const doc: Record<string, unknown> = { services };
  if (Object.keys(networks).length > 0) doc.networks = networks;
  if (Object.keys(volumes).length > 0) doc.volumes = volumes;
  const header =
    "# Rendered by `shipshape render --to compose`; run `docker compose up` from this directory.\n";
  return [
    { path: "compose.yaml", content: header + stringify(doc, { lineWidth: 0 }) },
    ...[...profiles].map(([name, json]) => ({
      path: `${SECCOMP_DIR}/${name}.json`,
      content: `${JSON.stringify(JSON.parse(json), null, 2)}\n`,
    })),
  ];
}
