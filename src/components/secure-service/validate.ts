/**
 * Cross-field rules of SecureService's args: what no single field's schema can see (ports that
 * collide, requests above limits, a path that is both a tmpfs and a volume, what a target allows).
 */
import { PodSecurityLevel } from "../../platform/kubernetes-target";
import { PlatformKind } from "../../platform/platform";
import type { Target } from "../target";
import type { ArgsIssue } from "../validation/issues";
import { cpuCores, memoryBytes } from "../validation/quantities";
import { ALLOWED_CAPABILITIES, type Capability, FORBIDDEN_CAPABILITIES, Protocol } from "./args";
import type { ParsedServiceArgs } from "./schema";

export interface PortSpec {
  name: string;
  containerPort: number;
  hostPort: number;
  protocol: Protocol;
}

export function portSpecs(a: ParsedServiceArgs): PortSpec[] {
  return (a.ports ?? []).map((p) => ({
    name: p.name ?? `p${p.containerPort}`,
    containerPort: p.containerPort,
    hostPort: p.hostPort ?? p.containerPort,
    protocol: p.protocol ?? Protocol.Tcp,
  }));
}

/** The capabilities granted: the allow-list, then the override, never the forbidden ones. */
export function grantedCapabilities(a: ParsedServiceArgs, target: Target, issues: ArgsIssue[]): Capability[] {
  const caps = new Set<Capability>();
  (a.capabilities ?? []).forEach((c, i) => {
    if (ALLOWED_CAPABILITIES.includes(c)) caps.add(c);
    else
      issues.push({
        path: `capabilities.${i}`,
        value: c,
        message: `${c} is not on the allow-list (${ALLOWED_CAPABILITIES.join(", ")}); if the service really needs it, add it through overrides.extraCapabilities with a reason`,
      });
  });
  const restricted =
    target.kind === PlatformKind.Kubernetes && target.podSecurityLevel === PodSecurityLevel.Restricted;
  (a.overrides?.extraCapabilities?.capabilities ?? []).forEach((c, i) => {
    const path = `overrides.extraCapabilities.capabilities.${i}`;
    if (FORBIDDEN_CAPABILITIES.includes(c))
      issues.push({
        path,
        value: c,
        message: `${c} is never granted: it breaks the container boundary; run that task outside the service`,
      });
    else if (restricted && !ALLOWED_CAPABILITIES.includes(c))
      issues.push({
        path,
        value: c,
        message: `the namespace enforces Pod Security "restricted", which rejects adding ${c}; drop it or target a "baseline" namespace`,
      });
    else caps.add(c);
  });
  return [...caps].sort();
}

export function checkPorts(ports: PortSpec[], target: Target, issues: ArgsIssue[]): void {
  const seen = new Map<string, number>();
  ports.forEach((p, i) => {
    const key = `${p.hostPort}/${p.protocol}`;
    const prev = seen.get(key);
    if (prev !== undefined)
      issues.push({
        path: `ports.${i}.hostPort`,
        value: p.hostPort,
        message: `port ${key} is already used by ports.${prev}; give each port its own hostPort`,
      });
    seen.set(key, i);
    if (target.kind === PlatformKind.Docker && p.hostPort < 1024)
      issues.push({
        path: `ports.${i}.hostPort`,
        value: p.hostPort,
        message:
          "Docker publishes this on a privileged host port (below 1024); publish on 1024 or above (e.g. 8080) and put a proxy in front (CIS Docker 5.8)",
      });
  });
  if (new Set(ports.map((p) => p.name)).size !== ports.length)
    issues.push({
      path: "ports",
      value: ports.map((p) => p.name),
      message: "port names must be unique; set ports[].name",
    });
}

export function checkHealthCheck(
  a: ParsedServiceArgs,
  target: Target,
  healthPort: number | undefined,
  issues: ArgsIssue[],
): void {
  const health = a.healthCheck;
  if (target.kind === PlatformKind.Docker && !health.command)
    issues.push({
      path: "healthCheck.command",
      value: undefined,
      message:
        'Docker runs health checks as a command inside the container; set healthCheck.command (e.g. ["/app/healthcheck"])',
    });
  if (health.httpGetPath && !health.command && healthPort === undefined)
    issues.push({
      path: "healthCheck.port",
      value: undefined,
      message: "httpGetPath needs a port: set healthCheck.port or declare a port",
    });
}

export function checkRequests(
  limits: { cpu: string; memory: string; cpuRequest: string; memoryRequest: string },
  issues: ArgsIssue[],
): void {
  if (cpuCores(limits.cpuRequest) > cpuCores(limits.cpu))
    issues.push({
      path: "resources.cpuRequest",
      value: limits.cpuRequest,
      message: `cpuRequest cannot exceed the cpu limit ${limits.cpu}; lower it or raise resources.cpu`,
    });
  if (memoryBytes(limits.memoryRequest) > memoryBytes(limits.memory))
    issues.push({
      path: "resources.memoryRequest",
      value: limits.memoryRequest,
      message: `memoryRequest cannot exceed the memory limit ${limits.memory}; lower it or raise resources.memory`,
    });
}

/** Writable paths, each once (after normalization `/tmp/` is `/tmp`), and none also a volume. */
export function checkPaths(a: ParsedServiceArgs, issues: ArgsIssue[]): string[] {
  const listed = a.writablePaths ?? [];
  const writablePaths = [...new Set(listed)];
  if (writablePaths.length !== listed.length)
    issues.push({
      path: "writablePaths",
      value: listed,
      message: 'writablePaths lists a path twice (a trailing "/" names the same path); list each once',
    });
  const volumes = a.volumes ?? [];
  volumes.forEach((v, i) => {
    if (writablePaths.includes(v.mountPath))
      issues.push({
        path: `volumes.${i}.mountPath`,
        value: v.mountPath,
        message: "this path is also a writable path; a path is either a tmpfs or a volume",
      });
  });
  const named = volumes.filter((v) => v.name !== undefined);
  if (new Set(named.map((v) => v.name)).size !== named.length)
    issues.push({ path: "volumes", value: volumes, message: "volume names must be unique" });
  if (new Set(volumes.map((v) => v.mountPath)).size !== volumes.length)
    issues.push({
      path: "volumes",
      value: volumes,
      message: "two volumes are mounted at one path; give each its own mountPath",
    });
  return writablePaths;
}

export function checkReplicas(
  a: ParsedServiceArgs,
  target: Target,
  portCount: number,
  issues: ArgsIssue[],
): number {
  const replicas = a.replicas ?? 1;
  if (a.podDisruptionBudgetMinAvailable !== undefined && a.podDisruptionBudgetMinAvailable >= replicas)
    issues.push({
      path: "podDisruptionBudgetMinAvailable",
      value: a.podDisruptionBudgetMinAvailable,
      message: `must be below replicas (${replicas}), or no pod could ever be evicted for node maintenance`,
    });
  if (target.kind === PlatformKind.Docker && replicas > 1 && portCount > 0)
    issues.push({
      path: "replicas",
      value: replicas,
      message:
        "on one Docker host, replicas of a service with published ports would collide on the host ports; use replicas: 1 or a kubernetes target",
    });
  return replicas;
}

/** The address published ports bind to: the target's, or every interface with the override. */
export function bindAddress(a: ParsedServiceArgs, target: Target, issues: ArgsIssue[]): string {
  if (a.overrides?.publicBind) return "0.0.0.0";
  const address = target.kind === PlatformKind.Docker ? target.bindAddress : "127.0.0.1";
  if (target.kind === PlatformKind.Docker && (address === "0.0.0.0" || address === "::"))
    issues.push({
      path: "docker.bindAddress",
      value: address,
      message:
        "binding every interface needs overrides.publicBind with a reason; or bind a specific address such as 127.0.0.1",
    });
  return address;
}

/** Where the Docker engine listens by default, and where a service finds its socket inside. */
export const DEFAULT_ENGINE_SOCKET = "/var/run/docker.sock";

/**
 * `overrides.engineSocket`: Docker only (a pod would need a hostPath volume, which Pod Security
 * forbids), and never on a service that publishes a port: whoever reaches a process holding the
 * socket may be one bug away from the engine.
 */
export function checkEngineSocket(
  a: ParsedServiceArgs,
  target: Target,
  portCount: number,
  issues: ArgsIssue[],
): void {
  const socket = a.overrides?.engineSocket;
  if (!socket) return;
  if (target.kind === PlatformKind.Kubernetes)
    issues.push({
      path: "overrides.engineSocket",
      value: socket.socketPath ?? DEFAULT_ENGINE_SOCKET,
      message:
        "a pod mounts a runtime socket only through a hostPath volume, which Pod Security forbids; read the cluster's metrics from the kubelet instead, or target Docker",
    });
  else if (portCount > 0)
    issues.push({
      path: "overrides.engineSocket",
      value: `${portCount} published port(s)`,
      message:
        "a service holding the engine's socket publishes no port; reach it from an internal network (docker.networks) instead",
    });
}
