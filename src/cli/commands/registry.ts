/**
 * `shipshape registry retention` (keep rules, dry run by default) and `registry cleanup` (the
 * seed's `--cleanup-days N --keep-tags a,b`, the same engine with one age rule).
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { type CliIo, collectList } from "../io";
import type { RetentionFlags } from "../registry-command";
import { gatedPush } from "./image";
import { type PendingActions, runPending } from "./pending";

function whole(what: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`"${value}" is not a whole number of ${what}`);
    return n;
  };
}

const expected = async (e: unknown) => {
  const { RegistryError } = await import("../../registry/errors");
  const { EngineUnreachableError } = await import("../../live/engine");
  return e instanceof RegistryError || e instanceof EngineUnreachableError;
};

function common(cmd: Command): Command {
  return cmd
    .requiredOption("--registry <host:port>", "the registry (plain HTTP for a loopback one)")
    .option(
      "--repositories <globs>",
      "repositories covered, comma-separated globs (default all)",
      collectList,
      [],
    )
    .option("--keep-tags <tags>", "tags always kept, comma-separated globs", collectList, [])
    .option("--storage <dir>", "the registry's storage root, to find untagged manifests")
    .option("--no-protect-engine", "do not protect the digests the engine's containers run")
    .option("--host <address>", "Docker engine whose containers' images are protected (default DOCKER_HOST)")
    .option(
      "--stack-state <file>",
      "a `pulumi stack export` file whose digests are protected (repeatable)",
      (v: string, p: string[] = []) => [...p, v],
      [],
    )
    .option("--insecure-registry", "plain HTTP even for a non-loopback registry")
    .option("--apply", "delete what the plan deletes (without it: a dry run)")
    .addOption(new Option("-f, --format <format>", "output").choices(["text", "json"]).default("text"));
}

export function registerRegistry(program: Command, io: CliIo, pending?: PendingActions): void {
  const registry = program
    .command("registry")
    .description("Registry retention: keep rules applied through the registry API, dry run by default.");
  const run = (action: () => Promise<number>) =>
    runPending("shipshape registry", io, pending, action, expected);

  gatedPush(registry.command("push"), io, run);

  common(
    registry
      .command("retention")
      .description(
        "Apply keep rules (newest N, younger than N days, per tag glob; keepTags; untagged) to a registry.",
      ),
  )
    .option(
      "--policy <file>",
      "a YAML or JSON retention policy { repositories, rules: [{ tags, keepLast | keepDays }], keepTags, deleteUntagged }",
    )
    .option(
      "--tags <globs>",
      "the tags the rules look at, comma-separated globs (default all)",
      collectList,
      [],
    )
    .option("--keep-last <n>", "keep the newest N images", whole("images"))
    .option("--keep-days <n>", "keep images created less than N days ago", whole("days"))
    .option("--delete-untagged", "also delete untagged manifests (needs --storage)")
    .action((flags: RetentionFlags) =>
      run(async () => (await import("../registry-command")).runRetention(flags, io)),
    );

  common(
    registry
      .command("cleanup")
      .description("The seed's cleanup: delete images older than --cleanup-days, keeping --keep-tags."),
  )
    .requiredOption("--cleanup-days <n>", "delete images created more than N days ago", whole("days"))
    .action((flags: RetentionFlags & { cleanupDays: number }) =>
      run(async () =>
        (await import("../registry-command")).runRetention(
          { ...flags, tags: [], keepDays: flags.cleanupDays },
          io,
        ),
      ),
    );
}
