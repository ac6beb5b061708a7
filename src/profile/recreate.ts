/**
 * `shipshape profile apply`: a container recreated through the Engine API with a seccomp profile,
 * keeping its configuration (image, command, environment, user, labels, limits, mounts, ports,
 * restart policy, networks with their aliases). A container's security options are fixed at
 * creation, so the old one is stopped and renamed aside, the new one created under its name and
 * started if the old one ran; if anything fails, the new one is removed and the old one renamed
 * back and restarted: nothing is half-applied. The old one is removed only once the new one runs.
 */
import type Dockerode from "dockerode";

/** Why a container cannot be recreated safely; the CLI prints it and exits 2. */
export class ProfileApplyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProfileApplyRefused";
  }
}

export interface AppliedProfile {
  name: string;
  oldId: string;
  newId: string;
  running: boolean;
  /** Anonymous volumes carried over by name (their data kept). */
  keptVolumes: string[];
}

type Inspect = Dockerode.ContainerInspectInfo;

/** What makes a recreate unsafe or pointless, as a message naming the container and the fix. */
function refusal(info: Inspect): string | undefined {
  const name = info.Name.replace(/^\//, "");
  const labels = info.Config.Labels ?? {};
  if (labels["com.docker.swarm.service.id"])
    return `container ${name} belongs to the swarm service ${labels["com.docker.swarm.service.name"] ?? ""}; set the profile on the service (docker service update --security-opt)`;
  if (info.HostConfig.AutoRemove)
    return `container ${name} was started with --rm: stopping it would remove it; run it again with --security-opt seccomp=<profile>`;
  if (info.HostConfig.Privileged)
    return `container ${name} is privileged, which disables seccomp whatever the profile; drop --privileged first`;
  if (/^container:/.test(info.HostConfig.NetworkMode ?? ""))
    return `container ${name} shares another container's network namespace (${info.HostConfig.NetworkMode}); recreate the pair together`;
  return undefined;
}

/**
 * Security options with the seccomp entry replaced, and no-new-privileges on: shipshape's profiles
 * are built for it (without it, runc loads the filter before it drops privileges, so the filter
 * would have to allow the setgroups and setuid of the container's own start-up).
 */
export function withSeccomp(
  securityOpt: readonly string[] | null | undefined,
  profileJson: string,
): string[] {
  const kept = (securityOpt ?? []).filter((o) => !/^seccomp[=:]/.test(o) && !/^no-new-privileges/.test(o));
  return [...kept, "no-new-privileges:true", `seccomp=${profileJson}`];
}

/** The create options of a container like `info`, with the new security options. */
function createOptions(
  info: Inspect,
  securityOpt: string[],
): { options: Dockerode.ContainerCreateOptions; kept: string[] } {
  const host = { ...info.HostConfig, SecurityOpt: securityOpt } as Dockerode.HostConfig & {
    Mounts?: Dockerode.MountSettings[];
  };
  // Anonymous volumes (declared by the image or `-v /path`) would be created afresh: mount the
  // existing ones by name, so their data stays.
  const declared = new Set([
    ...(host.Binds ?? []).map((b) => b.split(":")[1]),
    ...(host.Mounts ?? []).map((m) => m.Target),
  ]);
  const kept: string[] = [];
  const mounts = [...(host.Mounts ?? [])];
  for (const m of info.Mounts ?? []) {
    if (m.Type !== "volume" || !m.Name || declared.has(m.Destination)) continue;
    mounts.push({ Type: "volume", Source: m.Name, Target: m.Destination, ReadOnly: !m.RW });
    kept.push(m.Name);
  }
  if (mounts.length > 0) host.Mounts = mounts;
  const networks = info.NetworkSettings.Networks ?? {};
  const endpoints: Record<string, Dockerode.EndpointSettings> = {};
  for (const [net, ep] of Object.entries(networks)) {
    if (["bridge", "host", "none"].includes(net)) continue;
    // The engine adds the short id as an alias; the new container gets its own.
    const aliases = (ep.Aliases ?? []).filter((a: string) => !info.Id.startsWith(a));
    endpoints[net] = { Aliases: aliases, ...(ep.IPAMConfig ? { IPAMConfig: ep.IPAMConfig } : {}) };
  }
  const c = info.Config;
  const options: Dockerode.ContainerCreateOptions = {
    name: info.Name.replace(/^\//, ""),
    Image: c.Image,
    Cmd: c.Cmd ?? undefined,
    Entrypoint: c.Entrypoint ?? undefined,
    Env: c.Env ?? undefined,
    User: c.User,
    WorkingDir: c.WorkingDir,
    Labels: c.Labels,
    ExposedPorts: c.ExposedPorts,
    Healthcheck: c.Healthcheck,
    StopSignal: (c as { StopSignal?: string }).StopSignal,
    Tty: c.Tty,
    OpenStdin: c.OpenStdin,
    // A hostname the engine made up (the short id) is the new container's own again.
    Hostname: c.Hostname === info.Id.slice(0, 12) ? undefined : c.Hostname,
    HostConfig: host,
  } as Dockerode.ContainerCreateOptions;
  // The primary network comes with HostConfig.NetworkMode; the others join after creation.
  const primary = host.NetworkMode ?? "";
  if (endpoints[primary]) options.NetworkingConfig = { EndpointsConfig: { [primary]: endpoints[primary] } };
  return { options, kept };
}

/** Recreates container `name` with the seccomp profile `profileJson`; see the file's comment. */
export async function applySeccompProfile(
  docker: Dockerode,
  name: string,
  profileJson: string,
): Promise<AppliedProfile> {
  let info: Inspect;
  try {
    info = await docker.getContainer(name).inspect();
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    if (status === 404) throw new ProfileApplyRefused(`no container named ${name} on this engine`);
    throw e;
  }
  const why = refusal(info);
  if (why) throw new ProfileApplyRefused(why);
  const securityOpt = withSeccomp(info.HostConfig.SecurityOpt, profileJson);
  const { options, kept } = createOptions(info, securityOpt);
  const old = docker.getContainer(info.Id);
  const wasRunning = info.State.Running;
  const realName = options.name as string;
  const aside = `${realName}-shipshape-old-${info.Id.slice(0, 12)}`;
  let renamed = false;
  let created: Dockerode.Container | undefined;
  try {
    if (wasRunning) await old.stop({ t: 10 });
    await old.rename({ name: aside });
    renamed = true;
    created = await docker.createContainer(options);
    const primary = info.HostConfig.NetworkMode ?? "";
    for (const [net, ep] of Object.entries(info.NetworkSettings.Networks ?? {})) {
      if (net === primary || ["bridge", "host", "none"].includes(net)) continue;
      await docker.getNetwork(net).connect({
        Container: created.id,
        EndpointConfig: { Aliases: (ep.Aliases ?? []).filter((a: string) => !info.Id.startsWith(a)) },
      });
    }
    if (wasRunning) await created.start();
  } catch (e) {
    // Put the old one back as it was.
    if (created) await created.remove({ force: true }).catch(() => undefined);
    if (renamed) await old.rename({ name: realName }).catch(() => undefined);
    if (wasRunning) await old.start().catch(() => undefined);
    throw new ProfileApplyRefused(
      `the engine refused the recreated ${realName} (${(e as Error).message.split("\n")[0]}); the original container is back, unchanged`,
    );
  }
  await old.remove({ force: true });
  return { name: realName, oldId: info.Id, newId: created.id, running: wasRunning, keptVolumes: kept };
}
