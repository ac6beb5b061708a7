/**
 * `shipshape profile create` writes the seccomp or AppArmor profile RuntimeProfile would make;
 * `shipshape profile apply` recreates a container with the seccomp profile through the Engine API,
 * keeping its configuration (src/profile/recreate.ts). The work loads only when it runs.
 */
import type { Command } from "commander";
import { type CliIo, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

export interface ProfileFlags {
  type: string;
  profile?: string;
  appType: string;
  template: string;
  out?: string;
  container?: string;
  host?: string;
}

const APP_TYPES = "web, worker, database (or db)";
const TEMPLATES = "strict, default, permissive";

export function registerProfile(program: Command, io: CliIo, pending?: PendingActions): void {
  const profile = program
    .command("profile")
    .description(
      "Runtime profiles: write the seccomp or AppArmor profile RuntimeProfile makes, or apply one to a container.",
    );
  const run = (action: "create" | "apply") => (flags: ProfileFlags) => {
    if (!pending)
      throw new UsageError(
        `shipshape profile ${action} runs asynchronously; call it through the shipshape command`,
      );
    pending.push(
      import("./profile-run").then(
        (m) => (action === "create" ? m.runProfileCreate(flags, io) : m.runProfileApply(flags, io)),
        (e: unknown) => {
          io.stderr(`error: ${(e as Error).message}\n`);
          return EXIT_INPUT;
        },
      ),
    );
  };
  profile
    .command("create")
    .description("Write the profile RuntimeProfile would make for an application type and template.")
    .option(
      "--type <type>",
      "seccomp (JSON, for --security-opt seccomp=) or apparmor (text, for apparmor_parser)",
      "seccomp",
    )
    .option("--profile <name>", "the profile's name (the AppArmor profile's name; the file's name)")
    .option("--app-type <type>", `what the program does: ${APP_TYPES}`, "web")
    .option("--template <template>", `how tight: ${TEMPLATES}`, "default")
    .option(
      "-o, --out <file>",
      "write it here (default: <name>.json or <name> in this directory; - for standard output)",
    )
    .action(run("create"));
  profile
    .command("apply")
    .description(
      "Recreate a container with the seccomp profile, keeping its configuration (mounts, anonymous volumes' data, networks, ports, limits, labels); refuses when that cannot be done safely.",
    )
    .requiredOption("--container <name>", "the container, by name or id")
    .option(
      "--type <type>",
      "seccomp (AppArmor needs a kernel with AppArmor, which this engine's may lack)",
      "seccomp",
    )
    .option("--app-type <type>", `what the program does: ${APP_TYPES}`, "web")
    .option("--template <template>", `how tight: ${TEMPLATES}`, "default")
    .option(
      "--host <address>",
      "engine address: unix:///path, tcp://host:port (default: DOCKER_HOST, else the local socket)",
    )
    .action(run("apply"));
}
