import type { Command } from "commander";
import { type CliIo, collectList } from "../io";

export interface DaemonConfigFlags {
  /** `true` for a bare `--user-remap`, a name, or `false` for `--no-user-remap`. */
  userRemap: string | boolean;
  seccomp: boolean;
  seccompProfile?: string;
  liveRestore: boolean;
  enableContentTrust: boolean;
  experimental: boolean;
  logMaxSize?: string;
  logMaxFiles?: string;
  authorizationPlugin: string[];
  metricsAddr?: string;
  out?: string;
  explain: boolean;
}

/** `shipshape daemon-config`: prints a hardened daemon.json; `--explain` says why each setting is there. */
export function registerDaemonConfig(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  load: () => typeof import("./daemon-config-run"),
): void {
  program
    .command("daemon-config")
    .description("Print a hardened Docker daemon.json (CIS Docker Benchmark section 2).")
    .option(
      "--user-remap [user]",
      "remap container root to an unprivileged host range (default: dockremap)",
      "default",
    )
    .option("--no-user-remap", "do not remap user namespaces")
    .option("--no-seccomp", "write no daemon-wide seccomp profile")
    .option(
      "--seccomp-profile <path>",
      "daemon-wide custom seccomp profile (absolute path on the daemon's host)",
    )
    .option("--no-live-restore", "stop containers when dockerd restarts (needed for Swarm mode)")
    .option("--enable-content-trust", "add the DOCKER_CONTENT_TRUST=1 guidance for clients", false)
    .option("--experimental", "enable experimental features (not for production)", false)
    .option("--log-max-size <size>", "json-file log size before rotation (default 10m)")
    .option("--log-max-files <n>", "rotated json-file logs kept per container (default 3)")
    .option(
      "--authorization-plugin <names>",
      "authorization plugins (repeatable, comma-separated)",
      collectList,
      [],
    )
    .option(
      "--metrics-addr <ip:port>",
      "serve the engine's Prometheus metrics on this one address (e.g. 127.0.0.1:9323)",
    )
    .option("--out <file>", "write daemon.json to this file instead of standard output")
    .option(
      "--explain",
      "say why each setting is there (standard error, or standard output with --out)",
      false,
    )
    .addHelpText("after", "\nExit codes: 0 written, 2 a bad option.")
    .action((flags: DaemonConfigFlags) => load().daemonConfigAction(flags, io, exit));
}
