/**
 * `shipshape secrets add|remove|list|apply|keygen`: a local age-encrypted store for teams that do
 * not use Pulumi (src/secrets/store.ts). The actions are asynchronous (age, the Engine API): they
 * hand their promise to `pending`, which the entry point awaits. The modules they need load only
 * when they run, so `--help` stays fast.
 */
import type { Command } from "commander";
import { type CliIo, EXIT_CLEAN, UsageError } from "../io";
import { type PendingActions, runPending } from "./pending";

export type { PendingActions };

const DEFAULT_DIR = ".shipshape/secrets";
const KEY_ENV = "SHIPSHAPE_SECRETS_KEY_FILE";

interface CommonFlags {
  secretsDir: string;
  key?: string;
  /** The seed's name for --key (container-secrets-manager.sh), a file here too. */
  encryptionKey?: string;
}

function keyFile(flags: CommonFlags & { encrypt?: string }): string {
  const file = flags.key ?? flags.encryptionKey ?? flags.encrypt ?? process.env[KEY_ENV];
  if (!file)
    throw new UsageError(
      `the store is encrypted: give the age identity file with --key <file> (or ${KEY_ENV}); create one with shipshape secrets keygen -o key.txt or age-keygen -o key.txt`,
    );
  return file;
}

/** Standard input to its end, as bytes (the value of `add` by default). */
async function readStdin(): Promise<Uint8Array> {
  if (process.stdin.isTTY)
    throw new UsageError(
      "the value is read from standard input: pipe it in (e.g. shipshape secrets add --name db < db-password.txt), or use --file",
    );
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Runs an action, turning the store's own errors into exit 2 with their message. */
function run(io: CliIo, pending: PendingActions | undefined, action: () => Promise<number>): void {
  runPending("shipshape secrets", io, pending, action, async (e) => {
    const { SecretStoreError } = await import("../../secrets/store");
    const { EngineUnreachableError } = await import("../../live/engine");
    return e instanceof SecretStoreError || e instanceof EngineUnreachableError;
  });
}

export function registerSecrets(program: Command, io: CliIo, pending?: PendingActions): void {
  const secrets = program
    .command("secrets")
    .description("Keep secrets in a local age-encrypted store and apply them to containers as files.");
  const dirOption = ["--secrets-dir <dir>", "the store's directory", DEFAULT_DIR] as const;
  const keyOption = ["--key <file>", `age identity file (X25519; default: $${KEY_ENV})`] as const;
  const encryptionKeyOption = [
    "--encryption-key <file>",
    "same as --key (the seed's name for it): a file, never the key itself on the command line",
  ] as const;

  secrets
    .command("add")
    .description("Add a secret: its value from standard input (the default), --file, or --value.")
    .requiredOption("--name <name>", "the secret's name (lowercase letters, digits, '-', '_', '.')")
    .option("--file <path>", "read the value from this file")
    .option("--value <value>", "the value itself (lands in your shell history and the process list)")
    .option(...dirOption)
    .option(...keyOption)
    .option(...encryptionKeyOption)
    .option("--encrypt <file>", "same as --key: the age identity the store is encrypted for")
    .option("--force", "replace a secret of that name")
    .argument("[value]", "refused: a value on the command line leaks")
    .action(
      (
        positional: string | undefined,
        flags: CommonFlags & {
          name: string;
          file?: string;
          value?: string;
          encrypt?: string;
          force?: boolean;
        },
      ) =>
        run(io, pending, async () => {
          if (positional !== undefined)
            throw new UsageError(
              "a value on the command line lands in your shell history and the process list: pipe it on standard input, use --file, or say --value explicitly",
            );
          if (flags.file !== undefined && flags.value !== undefined)
            throw new UsageError("give one of --file and --value (or standard input)");
          const store = await import("../../secrets/store");
          store.checkName(flags.name);
          const identities = store.readIdentities(keyFile(flags));
          let value: Uint8Array;
          if (flags.value !== undefined) {
            io.stderr(
              "warning: --value puts the secret in your shell history and, while this runs, in the process list; prefer standard input or --file\n",
            );
            value = Buffer.from(flags.value, "utf8");
          } else if (flags.file !== undefined) {
            const { readFileSync } = await import("node:fs");
            try {
              value = readFileSync(flags.file);
            } catch (e) {
              throw new store.SecretStoreError(
                `cannot read --file ${flags.file} (${(e as NodeJS.ErrnoException).code ?? "error"})`,
              );
            }
          } else {
            value = await readStdin();
          }
          const s = new store.LocalSecretStore(flags.secretsDir);
          const existed = s.has(flags.name);
          await s.add(flags.name, value, identities, flags.force === true);
          io.stderr(
            `${existed ? "replaced" : "added"} ${flags.name} (${value.length} bytes, encrypted) in ${flags.secretsDir}\n`,
          );
          return EXIT_CLEAN;
        }),
    );

  secrets
    .command("remove")
    .description("Remove a secret (the key must open the store).")
    .requiredOption("--name <name>", "the secret to remove")
    .option(...dirOption)
    .option(...keyOption)
    .option(...encryptionKeyOption)
    .action((flags: CommonFlags & { name: string }) =>
      run(io, pending, async () => {
        const store = await import("../../secrets/store");
        store.checkName(flags.name);
        const identities = store.readIdentities(keyFile(flags));
        await new store.LocalSecretStore(flags.secretsDir).remove(flags.name, identities);
        io.stderr(`removed ${flags.name} from ${flags.secretsDir}\n`);
        return EXIT_CLEAN;
      }),
    );

  secrets
    .command("list")
    .description("List the secrets' names (never their values).")
    .option(...dirOption)
    .option("--format <format>", "text or json", "text")
    .action((flags: CommonFlags & { format: string }) =>
      run(io, pending, async () => {
        if (flags.format !== "text" && flags.format !== "json")
          throw new UsageError(`--format ${JSON.stringify(flags.format)}: use text or json`);
        const store = await import("../../secrets/store");
        const s = new store.LocalSecretStore(flags.secretsDir);
        const listed = s.list();
        if (flags.format === "json") {
          io.stdout(
            `${JSON.stringify(
              {
                dir: flags.secretsDir,
                recipients: s.recipients(),
                secrets: listed.map((l) => ({
                  name: l.name,
                  encryptedBytes: l.bytes,
                  modified: l.modified.toISOString(),
                })),
              },
              null,
              2,
            )}\n`,
          );
        } else if (listed.length === 0) {
          io.stdout(`no secrets in ${flags.secretsDir}\n`);
        } else {
          for (const l of listed)
            io.stdout(`${l.name}\t${l.bytes} bytes encrypted\t${l.modified.toISOString()}\n`);
        }
        return EXIT_CLEAN;
      }),
    );

  secrets
    .command("apply")
    .description("Decrypt the secrets into a container's directory as files (mode 0400) or into an env file.")
    .option("--container <name>", "copy the secrets into this container, owned by its user, mode 0400")
    .option(
      "--path <dir>",
      "the directory inside the container (a volume: the engine refuses read-only roots)",
      "/run/secrets",
    )
    .option("--owner <uid:gid>", "owner of the files (default: the container's numeric user)")
    .option("--host <address>", "the Docker engine (default: $DOCKER_HOST, else the local socket)")
    // Not `--env-file`: Node (24) takes `--env-file <path>` anywhere in its argv, after the script
    // too, and fails before shipshape runs (`node: <path>: not found`).
    .option(
      "--write-env-file <path>",
      "write NAME=value lines to this env file, mode 0600 (leaks into docker inspect)",
    )
    .option("--name <names...>", "only these secrets (default: all)")
    .option(...dirOption)
    .option(...keyOption)
    .option(...encryptionKeyOption)
    .action(
      (
        flags: CommonFlags & {
          container?: string;
          path: string;
          owner?: string;
          host?: string;
          writeEnvFile?: string;
          name?: string[];
        },
      ) =>
        run(io, pending, async () => {
          if (flags.container === undefined && flags.writeEnvFile === undefined)
            throw new UsageError(
              "say where the secrets go: --container <name> and/or --write-env-file <path>",
            );
          const store = await import("../../secrets/store");
          for (const n of flags.name ?? []) store.checkName(n);
          const identities = store.readIdentities(keyFile(flags));
          const s = new store.LocalSecretStore(flags.secretsDir);
          await s.checkKey(identities);
          // Everything decrypts before anything is written.
          const values = await s.decryptAll(identities, flags.name);
          const apply = await import("../../secrets/apply");
          if (flags.writeEnvFile !== undefined) {
            io.stderr(
              `warning: ${flags.writeEnvFile} holds the secrets in plaintext (mode 0600); a container started with --env-file shows them in docker inspect and its environment; prefer --container\n`,
            );
            const names = apply.applyToEnvFile(flags.writeEnvFile, values);
            io.stderr(`wrote ${names.join(", ")} to ${flags.writeEnvFile}\n`);
          }
          if (flags.container !== undefined) {
            const options: Parameters<typeof apply.applyToContainer>[0] = {
              container: flags.container,
              dir: flags.path,
              secrets: values,
            };
            if (flags.host !== undefined) options.host = flags.host;
            if (flags.owner !== undefined) options.owner = flags.owner;
            const done = await apply.applyToContainer(options);
            io.stderr(
              `applied ${done.files.join(", ")} to ${done.container} (owner ${done.owner}, mode 0400)\n`,
            );
          }
          return EXIT_CLEAN;
        }),
    );

  secrets
    .command("keygen")
    .description("Write a new age X25519 identity file (mode 0600) and print its public key.")
    .requiredOption("-o, --out <file>", "the key file to write (never overwritten)")
    .action((flags: { out: string }) =>
      run(io, pending, async () => {
        const store = await import("../../secrets/store");
        const key = await store.generateKey();
        store.writeAtomic(flags.out, key.text, true);
        io.stderr(`Public key: ${key.recipient}\n`);
        return EXIT_CLEAN;
      }),
    );
  for (const sub of secrets.commands)
    sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}
