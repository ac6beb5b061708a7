/**
 * Test-only bridge from the inputs a SecureService hands to `@pulumi/docker` (captured under
 * Pulumi mocks) to the Docker Engine API, standing in for the provider until the real Pulumi
 * CLI runs programs here. It maps fields one to one and adds nothing: whatever hardening the
 * container gets must come from the component's args.
 */
import type Docker from "dockerode";

// biome-ignore lint/suspicious/noExplicitAny: captured resource inputs are plain JSON
type Inputs = Record<string, any>;

const NS_PER_SECOND = 1_000_000_000;

function duration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)s$/.exec(text);
  if (!m) throw new Error(`engine adapter: unsupported duration ${text}`);
  return Number(m[1]) * NS_PER_SECOND;
}

/** The Engine API create body for captured `docker.Container` inputs. */
export function containerCreateBody(inputs: Inputs): Docker.ContainerCreateOptions {
  const known = new Set([
    "name",
    "image",
    "user",
    "envs",
    "readOnly",
    "tmpfs",
    "capabilities",
    "privileged",
    "securityOpts",
    "memory",
    "memorySwap",
    "cpus",
    "ulimits",
    "healthcheck",
    "restart",
    "maxRetryCount",
    "logDriver",
    "logOpts",
    "ports",
    "labels",
    "mounts",
    "networksAdvanced",
    "ipcMode",
    "entrypoints",
    "command",
    "sysctls",
  ]);
  const unknown = Object.keys(inputs).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`engine adapter: unmapped container inputs ${unknown.join(", ")}`);
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const p of inputs.ports ?? []) {
    const key = `${p.internal}/${p.protocol ?? "tcp"}`;
    exposed[key] = {};
    portBindings[key] = [...(portBindings[key] ?? []), { HostIp: p.ip, HostPort: String(p.external) }];
  }
  const networks: string[] = (inputs.networksAdvanced ?? []).map((n: Inputs) => n.name);
  const body: Docker.ContainerCreateOptions = {
    name: inputs.name,
    Image: inputs.image,
    User: inputs.user,
    Env: inputs.envs ?? [],
    Labels: Object.fromEntries((inputs.labels ?? []).map((l: Inputs) => [l.label, l.value])),
    ExposedPorts: exposed,
    Healthcheck: {
      Test: inputs.healthcheck?.tests,
      Interval: duration(inputs.healthcheck?.interval),
      Timeout: duration(inputs.healthcheck?.timeout),
      Retries: inputs.healthcheck?.retries,
      StartPeriod: duration(inputs.healthcheck?.startPeriod),
    },
    HostConfig: {
      ReadonlyRootfs: inputs.readOnly,
      Tmpfs: inputs.tmpfs ?? {},
      CapAdd: inputs.capabilities?.adds ?? [],
      CapDrop: inputs.capabilities?.drops ?? [],
      Privileged: inputs.privileged ?? false,
      SecurityOpt: inputs.securityOpts ?? [],
      Memory: inputs.memory === undefined ? 0 : inputs.memory * 1024 * 1024,
      MemorySwap: inputs.memorySwap === undefined ? 0 : inputs.memorySwap * 1024 * 1024,
      NanoCpus: inputs.cpus === undefined ? 0 : Math.round(Number(inputs.cpus) * NS_PER_SECOND),
      Ulimits: (inputs.ulimits ?? []).map((u: Inputs) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      RestartPolicy: { Name: inputs.restart ?? "no", MaximumRetryCount: inputs.maxRetryCount ?? 0 },
      LogConfig: { Type: inputs.logDriver ?? "json-file", Config: inputs.logOpts ?? {} },
      PortBindings: portBindings,
      IpcMode: inputs.ipcMode,
      Sysctls: inputs.sysctls ?? {},
      Mounts: (inputs.mounts ?? []).map((m: Inputs) => ({
        Type: m.type,
        Source: m.source,
        Target: m.target,
        ReadOnly: m.readOnly,
      })),
      NetworkMode: networks[0] ?? "none",
    },
  };
  if (inputs.entrypoints) body.Entrypoint = inputs.entrypoints;
  if (inputs.command) body.Cmd = inputs.command;
  return body;
}

/** Creates the captured network (if any) and containers, starts them, returns their ids. */
export async function deploy(
  engine: Docker,
  captured: { type: string; inputs: Inputs }[],
): Promise<{ containers: string[]; networks: string[] }> {
  const out = { containers: [] as string[], networks: [] as string[] };
  for (const r of captured.filter((c) => c.type === "docker:index/network:Network")) {
    const net = await engine.createNetwork({
      Name: r.inputs.name,
      Driver: r.inputs.driver ?? "bridge",
      Labels: Object.fromEntries((r.inputs.labels ?? []).map((l: Inputs) => [l.label, l.value])),
    });
    out.networks.push(net.id);
  }
  for (const r of captured.filter((c) => c.type === "docker:index/container:Container")) {
    const container = await engine.createContainer(containerCreateBody(r.inputs));
    out.containers.push(container.id);
    await container.start();
  }
  return out;
}

/** Removes what `deploy` made. */
export async function destroy(
  engine: Docker,
  made: { containers: string[]; networks: string[] },
): Promise<void> {
  for (const id of made.containers)
    await engine
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const id of made.networks)
    await engine
      .getNetwork(id)
      .remove()
      .catch(() => undefined);
}
