import { InitConflictError, initProject } from "../../init";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";
import type { InitFlags } from "./init";

/** What `shipshape init` does; sets `exit(code)` when done. */
export function initAction(dir: string, flags: InitFlags, io: CliIo, exit: (code: number) => void): void {
  try {
    for (const path of initProject(dir, { type: flags.type, platform: flags.platform }))
      io.stdout(`wrote ${path}\n`);
    exit(EXIT_CLEAN);
  } catch (e) {
    if (!(e instanceof InitConflictError) && !(e as NodeJS.ErrnoException).code) throw e;
    io.stderr(`error: ${(e as Error).message}\n`);
    exit(EXIT_INPUT);
  }
}
