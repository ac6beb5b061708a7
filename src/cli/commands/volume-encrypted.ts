/**
 * `shipshape volume attach|detach` (and `volume list` without a directory): EncryptedVolumes
 * outside Pulumi (src/volume/encrypted-store.ts). The key comes from a file or standard input,
 * never from argv or the environment. Detach refuses while a container of the engine uses the view.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { printableLines } from "../../report/untrusted";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

/** EncryptedVolume's default store. */
export const DEFAULT_STORE = "/var/lib/shipshape/volumes";

interface AttachFlags {
  name: string;
  keyFile: string;
  store: string;
  owner?: string;
}

interface DetachFlags {
  name: string;
  store: string;
  host?: string;
  force?: boolean;
}

function readKey(file: string): string {
  try {
    // The key as written, without the line end an editor or `echo` adds.
    return readFileSync(file === "-" ? 0 : file, "utf8").replace(/\r?\n$/, "");
  } catch (e) {
    throw new UsageError(`option '--key-file': cannot read ${file} (${(e as Error).message})`);
  }
}

/** Containers of the engine bound to `mountPoint`; undefined when the engine cannot be asked. */
async function usersOf(mountPoint: string, host: string | undefined): Promise<string[] | undefined> {
  const { connectEngine, parseEngineAddress } = await import("../../live/engine");
  try {
    const docker = await connectEngine(parseEngineAddress(host), 5000);
    const list = await docker.listContainers({ all: false });
    return list
      .filter((c) =>
        (c.Mounts ?? []).some((m) => m.Source === mountPoint || m.Source.startsWith(`${mountPoint}/`)),
      )
      .map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ""));
  } catch {
    return undefined;
  }
}

export function registerEncryptedVolume(volume: Command, io: CliIo, pending?: PendingActions): void {
  const later = (work: () => Promise<number>) => {
    if (!pending)
      throw new UsageError("this volume command runs asynchronously; call it through the shipshape command");
    pending.push(
      work().catch((e: unknown) => {
        io.stderr(printableLines(`error: ${(e as Error).message}\n`));
        return EXIT_INPUT;
      }),
    );
  };
  volume
    .command("attach")
    .description(
      "Mount an EncryptedVolume's plaintext view on the host with its key (what EncryptedVolume does during pulumi up).",
    )
    .requiredOption("--name <volume>", "the volume's name (its directory in --store)")
    .requiredOption(
      "--key-file <file>",
      "the volume's key (- reads it from standard input); never on the command line",
    )
    .option("--store <directory>", "EncryptedVolume's store directory", DEFAULT_STORE)
    .option("--owner <uid:gid>", "host owner of the view's root (default: the one EncryptedVolume set)")
    .addHelpText(
      "after",
      "\nExit codes: 0 attached (or already), 2 bad input, a wrong key or no such volume.",
    )
    .action((flags: AttachFlags) => {
      let owner: { uid: number; gid: number } | undefined;
      if (flags.owner !== undefined) {
        const m = /^(\d+):(\d+)$/.exec(flags.owner);
        if (!m)
          throw new UsageError(
            `option '--owner' got "${flags.owner}"; give numeric uid:gid, e.g. 110001:110001`,
          );
        owner = { uid: Number(m[1]), gid: Number(m[2]) };
      }
      const key = readKey(flags.keyFile);
      later(async () => {
        const { attachVolume } = await import("../../volume/encrypted-store");
        const r = await attachVolume({
          store: flags.store,
          name: flags.name,
          key,
          ...(owner ? { owner } : {}),
        });
        io.stdout(
          printableLines(
            `${flags.name}: ${r.mounted ? "attached" : "already attached"} at ${r.mountPoint}\n`,
          ),
        );
        return EXIT_CLEAN;
      });
    });
  volume
    .command("detach")
    .description(
      "Unmount an EncryptedVolume's plaintext view (the ciphertext stays); refuses while a running container uses it.",
    )
    .requiredOption("--name <volume>", "the volume's name")
    .option("--store <directory>", "EncryptedVolume's store directory", DEFAULT_STORE)
    .option(
      "--host <address>",
      "the engine asked which containers use the view (default: DOCKER_HOST, else the local socket)",
    )
    .option("--force", "detach even while a container uses it (its writes then fail)")
    .addHelpText(
      "after",
      "\nExit codes: 0 detached (or not attached), 2 in use, bad input or no such volume.",
    )
    .action((flags: DetachFlags) =>
      later(async () => {
        const { detachVolume } = await import("../../volume/encrypted-store");
        const { volumePaths } = await import("../../volume/gocryptfs");
        const mountPoint = volumePaths(flags.store, flags.name).mountPoint;
        if (!flags.force) {
          const users = await usersOf(mountPoint, flags.host);
          if (users && users.length > 0) {
            io.stderr(
              printableLines(
                `error: ${flags.name} is in use by ${users.join(", ")}; stop ${users.length > 1 ? "them" : "it"} first (or --force)\n`,
              ),
            );
            return EXIT_INPUT;
          }
        }
        const r = await detachVolume(flags.store, flags.name);
        io.stdout(
          printableLines(
            `${flags.name}: ${r.unmounted ? "detached" : "was not attached"} (${r.mountPoint})\n`,
          ),
        );
        return EXIT_CLEAN;
      }),
    );
}

/** `volume list` without a directory: the EncryptedVolumes of `--store`, text or JSON. */
export function listEncryptedVolumes(
  flags: { format: string; store: string },
  io: CliIo,
  pending?: PendingActions,
): void {
  if (!pending)
    throw new UsageError("volume list runs asynchronously here; call it through the shipshape command");
  pending.push(
    import("../../volume/encrypted-store").then((m) => {
      const volumes = m.listStoredVolumes(flags.store);
      if (flags.format === "json") io.stdout(`${JSON.stringify(volumes, null, 2)}\n`);
      else
        io.stdout(
          printableLines(
            volumes
              .map(
                (v) =>
                  `${v.name}  ${v.mounted ? "attached" : "detached"}  ${v.mountPoint}  owner ${v.owner}\n`,
              )
              .join("") || `no encrypted volumes in ${flags.store}\n`,
          ),
        );
      return EXIT_CLEAN;
    }),
  );
}
