import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import {
  daemonJsonText,
  explainDaemonConfig,
  type SecureDaemonOptions,
  secureDaemonConfig,
} from "../../daemon-config";
import { type CliIo, collectList, EXIT_CLEAN, UsageError } from "../io";

interface DaemonConfigFlags {
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
  out?: string;
  explain: boolean;
}

function toOptions(flags: DaemonConfigFlags): SecureDaemonOptions {
  const options: SecureDaemonOptions = {
    userRemap: flags.userRemap === true ? "default" : flags.userRemap,
    seccomp: flags.seccomp,
    liveRestore: flags.liveRestore,
    contentTrust: flags.enableContentTrust,
    experimental: flags.experimental,
    authorizationPlugins: flags.authorizationPlugin,
  };
  if (flags.seccompProfile !== undefined) options.seccompProfile = flags.seccompProfile;
  if (flags.logMaxSize !== undefined) options.logMaxSize = flags.logMaxSize;
  if (flags.logMaxFiles !== undefined) {
    const n = Number(flags.logMaxFiles);
    if (!Number.isInteger(n))
      throw new UsageError(`option '--log-max-files' got "${flags.logMaxFiles}"; give a whole number`);
    options.logMaxFiles = n;
  }
  return options;
}

/** `shipshape daemon-config`: prints a hardened daemon.json; `--explain` says why each setting is there. */
export function registerDaemonConfig(program: Command, io: CliIo, exit: (code: number) => void): void {
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
    .option("--out <file>", "write daemon.json to this file instead of standard output")
    .option(
      "--explain",
      "say why each setting is there (standard error, or standard output with --out)",
      false,
    )
    .addHelpText("after", "\nExit codes: 0 written, 2 a bad option.")
    .action((flags: DaemonConfigFlags) => {
      let generated: ReturnType<typeof secureDaemonConfig>;
      try {
        generated = secureDaemonConfig(toOptions(flags));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError((error as Error).message);
      }
      const json = daemonJsonText(generated.config);
      // The JSON owns whichever stream it is written to; explanations take the other one.
      const explainTo = flags.out ? io.stdout : io.stderr;
      if (flags.out) {
        try {
          writeFileSync(flags.out, json);
        } catch (error) {
          throw new UsageError(`option '--out' cannot write "${flags.out}": ${(error as Error).message}`);
        }
      } else {
        io.stdout(json);
      }
      if (flags.explain) explainTo(`${explainDaemonConfig(generated.explanations)}\n`);
      else if (generated.clientEnvironment.DOCKER_CONTENT_TRUST) {
        explainTo(
          "note: content trust is a client setting: export DOCKER_CONTENT_TRUST=1 for every docker client\n",
        );
      }
      exit(EXIT_CLEAN);
    });
}
