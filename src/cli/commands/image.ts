/**
 * `shipshape image keygen|sign|verify|push`: cosign-compatible signing and the gated push,
 * for pipelines outside Pulumi (SignedImage does the same inside a stack). The work loads only
 * when a subcommand runs, so `--help` stays fast.
 */
import { type Command, Option } from "commander";
import { type CliIo, collectList } from "../io";
import { type PendingActions, runPending } from "./pending";

const expected = async (e: unknown) => {
  const { RegistryError } = await import("../../registry/errors");
  const { ScanError } = await import("../../scan/errors");
  const { EngineUnreachableError } = await import("../../live/engine");
  return e instanceof RegistryError || e instanceof ScanError || e instanceof EngineUnreachableError;
};

export function registerImage(program: Command, io: CliIo, pending?: PendingActions): void {
  const image = program
    .command("image")
    .description(
      "Sign, verify and push images in cosign's format (ECDSA P-256 keys; offline, no transparency log).",
    );
  const run = (action: () => Promise<number>) => runPending("shipshape image", io, pending, action, expected);

  image
    .command("keygen")
    .description(
      "Write an ECDSA P-256 key pair: NAME.key (PKCS #8 PEM, mode 0600) and NAME.pub (what cosign verify --key reads).",
    )
    .option("-o, --output-dir <dir>", "where to write the pair", ".")
    .option("-n, --name <name>", "file name stem", "shipshape")
    .option("--force", "replace existing files")
    .action((flags) => run(async () => (await import("../image-command")).runKeygen(flags, io)));

  image
    .command("sign")
    .description(
      "Sign host/repository:tag (resolved to its digest) or …@sha256:… with a PEM private key file.",
    )
    .argument("<image>", "registry reference")
    .requiredOption(
      "-k, --key <file>",
      "the ECDSA P-256 private key, PEM (never given on the command line itself)",
    )
    .option("--insecure-registry", "the registry speaks plain HTTP (default only for loopback registries)")
    .action((ref: string, flags) =>
      run(async () => (await import("../image-command")).runSign(ref, flags, io)),
    );

  image
    .command("verify")
    .description(
      "Verify an image's cosign signatures: exit 0 verified, 1 not verified (why on stderr), 2 bad input or registry unreachable.",
    )
    .argument("<image>", "registry reference (a tag is resolved to the digest it names now)")
    .option("-k, --key <file>", "a PEM public key (repeatable: any one verifying is enough)", collectList, [])
    .option("--insecure-registry", "the registry speaks plain HTTP (default only for loopback registries)")
    .addOption(new Option("-f, --format <format>", "output").choices(["text", "json"]).default("text"))
    .action((ref: string, flags) =>
      run(async () => (await import("../image-command")).runVerify(ref, flags, io)),
    );

  gatedPush(image.command("push"), io, run);
}

/** The gated push's arguments and options: `image push`, and `registry push` as the seed names it. */
export function gatedPush(cmd: Command, io: CliIo, run: (action: () => Promise<number>) => void): Command {
  return cmd
    .description(
      "Gated push: scan a local engine image, push it to --to only when the gate passes, and sign it with --sign-key.",
    )
    .argument("<image>", "local engine image (name:tag or sha256:ID)")
    .requiredOption("--to <ref>", "host/repository:tag to push to")
    .addOption(
      new Option("--fail-on <severity>", "severity that blocks the push")
        .choices(["critical", "high", "medium", "low"])
        .default("high"),
    )
    .option("--block-critical", "block on critical vulnerabilities only (the seed's --block-critical)")
    .option("--no-scan", "push without scanning (not a gated push)")
    .option("--sign-key <file>", "sign the pushed digest with this PEM private key")
    .option("--host <address>", "Docker engine address (default DOCKER_HOST, else the local socket)")
    .option("--insecure-registry", "the registry speaks plain HTTP (default only for loopback registries)")
    .option("--trivy <path>", "trivy binary (default SHIPSHAPE_TRIVY, else the one setup builds)")
    .option("--cache-dir <dir>", "trivy cache directory holding db/trivy.db")
    .action((ref: string, flags) =>
      run(async () => (await import("../image-command")).runPush(ref, flags, io)),
    );
}
