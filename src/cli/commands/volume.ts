import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { printableLines } from "../../report/untrusted";
import { listBackups, parseIdentities } from "../../volume/backup";
import { runVolumeSync } from "../../volume/sync";
import { type CliIo, collectList, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";
import { DEFAULT_STORE, listEncryptedVolumes, registerEncryptedVolume } from "./volume-encrypted";

interface BackupFlags {
  volume: string;
  to: string;
  recipient: string[];
  recipientsFile?: string;
  keep?: string;
}

interface RestoreFlags {
  into: string;
  identityFile: string;
  owner?: string;
}

interface ListFlags {
  format: string;
  store: string;
}

const OWNER = /^(\d+):(\d+)$/;

function recipientsOf(flags: BackupFlags): string[] {
  const list = [...flags.recipient];
  if (flags.recipientsFile) {
    let text: string;
    try {
      text = readFileSync(flags.recipientsFile, "utf8");
    } catch (e) {
      throw new UsageError(
        `option '--recipients-file': cannot read ${flags.recipientsFile} (${(e as Error).message})`,
      );
    }
    for (const line of text.split(/\r?\n/).map((l) => l.trim()))
      if (line !== "" && !line.startsWith("#")) list.push(line);
  }
  if (list.length === 0)
    throw new UsageError(
      "give at least one --recipient age1… (or --recipients-file) to encrypt the backup to",
    );
  return list;
}

/** Reads an age identity file (`-` for standard input); the identities never reach argv or the environment. */
function identitiesFrom(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    throw new UsageError(`option '--identity-file': cannot read ${file} (${(e as Error).message})`);
  }
  const ids = parseIdentities(text);
  if (ids.length === 0)
    throw new UsageError(
      `option '--identity-file': ${file} holds no AGE-SECRET-KEY-1… identity (age-keygen writes one)`,
    );
  return ids;
}

/** `shipshape volume backup|restore|list`: encrypted volume backups and tar-slip-safe restores. */
export function registerVolume(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  pending?: PendingActions,
): void {
  const volume = program
    .command("volume")
    .description("Back up a volume's files to an age-encrypted archive, list backups, restore one safely.");
  const guarded = (run: () => number) => {
    try {
      exit(run());
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.stderr(`error: ${(e as Error).message}\n`);
      exit(EXIT_INPUT);
    }
  };
  volume
    .command("backup")
    .description("Archive a directory (a mounted volume) and encrypt it to age recipients.")
    .argument("<directory>", "the directory to back up")
    .requiredOption("--volume <name>", "the volume's name, recorded in the manifest and the file names")
    .requiredOption("--to <directory>", "where the backup and its manifest are written")
    .option(
      "--recipient <age1…>",
      "an age recipient (public key; repeatable, comma-separated)",
      collectList,
      [],
    )
    .option("--recipients-file <file>", "a file of age recipients, one a line")
    .option("--keep <n>", "keep at most n backups of this volume in --to, deleting the oldest")
    .addHelpText("after", "\nExit codes: 0 backed up, 2 bad input.")
    .action((directory: string, flags: BackupFlags) =>
      guarded(() => {
        const recipients = recipientsOf(flags);
        let keep: number | undefined;
        if (flags.keep !== undefined) {
          keep = Number(flags.keep);
          if (!Number.isInteger(keep) || keep < 1)
            throw new UsageError(
              `option '--keep' got "${flags.keep}"; give a whole number of backups, at least 1`,
            );
        }
        const outcome = runVolumeSync({
          op: "backup",
          source: directory,
          volume: flags.volume,
          directory: flags.to,
          recipients,
          ...(keep === undefined ? {} : { keep }),
        });
        if (outcome.op !== "backup") return EXIT_INPUT;
        const r = outcome.result;
        io.stdout(
          printableLines(
            `backed up ${r.manifest.entries} entries (${r.manifest.bytes} bytes) of ${r.manifest.volume}\n` +
              `  archive:  ${r.archivePath}\n  manifest: ${r.manifestPath}\n  sha256:   ${r.manifest.sha256}\n` +
              r.manifest.skipped.map((s) => `  skipped ${s.path}: ${s.reason}\n`).join("") +
              r.deleted.map((d) => `  deleted (--keep): ${d}\n`).join(""),
          ),
        );
        return EXIT_CLEAN;
      }),
    );
  volume
    .command("restore")
    .description(
      "Verify a backup's checksums, decrypt it and restore it into an empty directory, refusing unsafe entries.",
    )
    .argument("<manifest>", "the backup's .manifest.json")
    .requiredOption("--into <directory>", "an empty (or missing) directory to restore into")
    .requiredOption("--identity-file <file>", "the age identity file (- reads it from standard input)")
    .option("--owner <uid:gid>", "owner of everything restored (the volume's user); default: the archive's")
    .addHelpText(
      "after",
      "\nRefused: absolute paths, '..' traversal, symlinks and hard links leading outside, devices, fifos, setuid/setgid bits.\nExit codes: 0 restored everything, 1 restored with entries refused (listed), 2 bad input or a backup that does not verify (nothing written).",
    )
    .action((manifest: string, flags: RestoreFlags) =>
      guarded(() => {
        let owner: { uid: number; gid: number } | undefined;
        if (flags.owner !== undefined) {
          const m = OWNER.exec(flags.owner);
          if (!m)
            throw new UsageError(
              `option '--owner' got "${flags.owner}"; give numeric uid:gid, e.g. 10001:10001`,
            );
          owner = { uid: Number(m[1]), gid: Number(m[2]) };
        }
        const outcome = runVolumeSync({
          op: "restore",
          manifestPath: manifest,
          identities: identitiesFrom(flags.identityFile),
          target: flags.into,
          ...(owner ? { owner } : {}),
        });
        if (outcome.op !== "restore") return EXIT_INPUT;
        const r = outcome.result;
        io.stdout(
          printableLines(
            `restored ${r.restored.length} entries into ${flags.into}; refused ${r.refused.length}\n` +
              r.refused.map((x) => `  refused ${x.path}: ${x.reason}\n`).join(""),
          ),
        );
        return r.refused.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
      }),
    );
  volume
    .command("list")
    .description(
      "List the backups in a directory, oldest first; without a directory, the EncryptedVolumes in --store and whether each is attached.",
    )
    .argument("[directory]", "a backup directory (none: the EncryptedVolumes)")
    .option("--format <format>", "text or json", "text")
    .option("--store <directory>", "without a directory: EncryptedVolume's store directory", DEFAULT_STORE)
    .action((directory: string | undefined, flags: ListFlags) =>
      guarded(() => {
        if (flags.format !== "text" && flags.format !== "json")
          throw new UsageError(`option '--format' got "${flags.format}"; give text or json`);
        if (directory === undefined) {
          listEncryptedVolumes(flags, io, pending);
          return EXIT_CLEAN;
        }
        const backups = listBackups(directory);
        if (flags.format === "json") {
          io.stdout(
            `${JSON.stringify(
              backups.map((b) => ({
                manifest: b.manifestPath,
                ...b.manifest,
                files: Object.keys(b.manifest.files).length,
              })),
              null,
              2,
            )}\n`,
          );
        } else {
          const lines = backups.map(
            (b) =>
              `${b.manifest.createdAt}  ${b.manifest.volume}  ${b.manifest.entries} entries  ${b.manifest.bytes} bytes  ${b.manifestPath}\n`,
          );
          io.stdout(printableLines(lines.join("") || `no backups in ${directory}\n`));
        }
        return EXIT_CLEAN;
      }),
    );
  registerEncryptedVolume(volume, io, pending);
  for (const sub of volume.commands)
    sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}
