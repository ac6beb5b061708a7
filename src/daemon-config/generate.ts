import { resolveDaemonOptions, type SecureDaemonOptions } from "./options";

/** One setting of the generated `daemon.json` (or a piece of guidance) and why it is there. */
export interface DaemonSettingExplanation {
  /** The `daemon.json` key, or `guidance:<topic>` for advice that is not a daemon setting. */
  key: string;
  /** The value written, or `undefined` when the key is deliberately left out. */
  value: unknown;
  why: string;
  /** CIS Docker Benchmark 1.6 recommendation(s) the setting satisfies. */
  cis: string[];
}

export interface SecureDaemonConfig {
  /** The `daemon.json` content, keys in a stable order. */
  config: Record<string, unknown>;
  /** Every key of `config` (and each deliberate omission) with its reason. */
  explanations: DaemonSettingExplanation[];
  /** Environment variables clients should set (content trust lives on the client side). */
  clientEnvironment: Record<string, string>;
}

/**
 * Builds a hardened `daemon.json`. Pure: the same options always give the same JSON, so the
 * component, the CLI and the tests share it.
 */
export function secureDaemonConfig(options: SecureDaemonOptions = {}): SecureDaemonConfig {
  const o = resolveDaemonOptions(options);
  const config: Record<string, unknown> = {};
  const explanations: DaemonSettingExplanation[] = [];
  const set = (key: string, value: unknown, why: string, cis: string[]) => {
    config[key] = value;
    explanations.push({ key, value, why, cis });
  };
  const omit = (key: string, why: string, cis: string[]) => {
    explanations.push({ key, value: undefined, why, cis });
  };

  set(
    "icc",
    false,
    "Containers on the default bridge cannot talk to each other unless linked; services that must talk share a user-defined network instead.",
    ["2.2"],
  );
  if (o.userRemap !== false) {
    set(
      "userns-remap",
      o.userRemap,
      "Root inside a container maps to an unprivileged range on the host, so a container breakout does not yield host root.",
      ["2.9"],
    );
  } else {
    omit(
      "userns-remap",
      "Turned off on request: root in a container is root on the host. Prefer remapping unless bind mounts need host ownership.",
      ["2.9"],
    );
  }
  set(
    "no-new-privileges",
    true,
    "Processes in containers cannot gain privileges through setuid/setgid binaries or file capabilities.",
    ["2.14"],
  );
  if (o.liveRestore) {
    set(
      "live-restore",
      true,
      "Containers keep running while dockerd restarts or is upgraded, so patching the daemon does not mean downtime.",
      ["2.15"],
    );
  } else {
    set(
      "live-restore",
      false,
      "Turned off on request (needed for Swarm mode): a daemon restart stops every container.",
      ["2.15"],
    );
  }
  set(
    "userland-proxy",
    false,
    "Published ports are forwarded by iptables (hairpin NAT) instead of a docker-proxy process per port, which removes an attack surface.",
    ["2.16"],
  );
  set("log-level", "info", "Enough detail to audit daemon activity without debug noise.", ["2.3"]);
  set(
    "log-driver",
    "json-file",
    "A local driver that rotates; forward logs to a central store with a log shipper or change to a remote driver (CIS 2.13).",
    ["2.13"],
  );
  set(
    "log-opts",
    { "max-size": o.logMaxSize, "max-file": String(o.logMaxFiles) },
    "Log rotation: a noisy container cannot fill the host's disk.",
    ["2.13"],
  );
  set(
    "default-ulimits",
    { nofile: { Name: "nofile", Soft: o.nofileSoft, Hard: o.nofileHard } },
    "A default open-files limit for every container; containers that need more ask for it explicitly. With user namespaces the hard limit cannot exceed dockerd's own (see /proc/<pid>/limits).",
    ["2.8"],
  );
  if (o.seccompProfile !== undefined) {
    set(
      "seccomp-profile",
      o.seccompProfile,
      "A custom daemon-wide seccomp profile restricts the system calls every container may make.",
      ["2.17"],
    );
  } else if (o.seccomp) {
    omit(
      "seccomp-profile",
      'Not set, so the engine\'s built-in seccomp profile confines every container (`docker info` shows name=seccomp,profile=default); never set it to "unconfined". Pass a profile path to pin a stricter one.',
      ["2.17", "5.21"],
    );
  } else {
    omit(
      "seccomp-profile",
      "Left out on request (--no-seccomp): no daemon-wide custom profile; the engine's built-in profile still applies to containers that do not opt out.",
      ["2.17"],
    );
  }
  set(
    "insecure-registries",
    [],
    "No registry is reached over plain HTTP or with unverified TLS; images cannot be swapped in transit.",
    ["2.5"],
  );
  set(
    "experimental",
    o.experimental,
    o.experimental
      ? "Turned on on request: experimental features are not supported and must not run in production."
      : "Experimental features stay off: they are not supported for production.",
    ["2.18"],
  );
  if (o.authorizationPlugins.length > 0) {
    set(
      "authorization-plugins",
      o.authorizationPlugins,
      "Every API request is checked by these plugins before dockerd acts on it.",
      ["2.12"],
    );
  }
  if (o.metricsAddress !== undefined) {
    set(
      "metrics-addr",
      o.metricsAddress,
      "The engine's Prometheus metrics (daemon, containers' states, builds) on one address only: the endpoint has no authentication, so it never listens on every interface.",
      [],
    );
  }
  const clientEnvironment: Record<string, string> = {};
  if (o.contentTrust) {
    clientEnvironment.DOCKER_CONTENT_TRUST = "1";
    explanations.push({
      key: "guidance:content-trust",
      value: "DOCKER_CONTENT_TRUST=1",
      why: "Content trust is enforced by the docker client, not the daemon: set DOCKER_CONTENT_TRUST=1 in the environment of every client (shell profiles, CI) so only signed images are pulled and run.",
      cis: ["4.5"],
    });
  }
  explanations.push({
    key: "guidance:tls",
    value: undefined,
    why: "The daemon listens only on its local socket here. If it must listen on TCP, add `hosts` with tcp://…:2376 together with `tls`, `tlsverify`, `tlscacert`, `tlscert` and `tlskey`.",
    cis: ["2.7"],
  });
  return { config, explanations, clientEnvironment };
}

/** The `daemon.json` text: two-space indented with a trailing newline. */
export function daemonJsonText(config: Record<string, unknown>): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Human-readable explanation of every setting, one paragraph each. */
export function explainDaemonConfig(explanations: readonly DaemonSettingExplanation[]): string {
  return explanations
    .map((e) => {
      const shown = e.value === undefined ? "(not set)" : JSON.stringify(e.value);
      const cis = e.cis.length > 0 ? ` [CIS ${e.cis.join(", ")}]` : "";
      return `${e.key} = ${shown}${cis}\n  ${e.why}`;
    })
    .join("\n");
}
