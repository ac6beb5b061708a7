import { writeFileSync } from "node:fs";
import {
  daemonJsonText,
  explainDaemonConfig,
  type SecureDaemonOptions,
  secureDaemonConfig,
} from "../../daemon-config";
import { type CliIo, EXIT_CLEAN, UsageError } from "../io";
import type { DaemonConfigFlags } from "./daemon-config";

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
  if (flags.metricsAddr !== undefined) options.metricsAddress = flags.metricsAddr;
  if (flags.logMaxSize !== undefined) options.logMaxSize = flags.logMaxSize;
  if (flags.logMaxFiles !== undefined) {
    const n = Number(flags.logMaxFiles);
    if (!Number.isInteger(n))
      throw new UsageError(`option '--log-max-files' got "${flags.logMaxFiles}"; give a whole number`);
    options.logMaxFiles = n;
  }
  return options;
}

/** What `shipshape daemon-config` does; sets `exit(code)` when done. */
export function daemonConfigAction(flags: DaemonConfigFlags, io: CliIo, exit: (code: number) => void): void {
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
}
