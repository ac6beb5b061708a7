import { writeSync } from "node:fs";

/** The reader of standard output went away (`shipshape … | head`): stop writing, exit quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super("standard output was closed by its reader");
    this.name = "OutputClosedError";
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to descriptor `fd` before returning, as Unix tools do: a full pipe that
 * was left non-blocking (`EAGAIN`) is waited on, and a pipe whose reader has gone (`EPIPE`)
 * ends the output with `OutputClosedError` instead of an unhandled stream error. Writing
 * synchronously also means the exit code is set only after the report is out.
 */
export function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new OutputClosedError();
      if (code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/** The exit code after `OutputClosedError`: what a Unix tool killed by SIGPIPE reports. */
export const EXIT_OUTPUT_CLOSED = 141;
