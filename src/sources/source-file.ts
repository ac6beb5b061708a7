import type { Finding, InputError } from "../engine/finding";
import type { Resource } from "../model";

/** A file read into model objects, able to rewrite itself with fixes. */
export interface SourceFile {
  file: string;
  format: "kubernetes" | "compose" | "dockerfile" | "daemon-json";
  resources: Resource[];
  errors: InputError[];
  /**
   * The file's new text with the fixes of `findings` applied (findings of other files are
   * ignored), or `undefined` when none of them applies.
   */
  applyFixes?(findings: readonly Finding[], resourceOffset: number): string | undefined;
}

export interface LoadOptions {
  /** Skip Kubernetes objects of unknown kinds instead of reporting them. @default false */
  allowUnknownKinds?: boolean;
  /**
   * Keep each file's text and its `applyFixes`, which `--fix` needs. A run that only reports
   * turns this off so that no file's text outlives its reading.
   * @default true
   */
  forFixing?: boolean;
  /**
   * Give up on a pipe or FIFO (named on the command line or reached through `extends.file`)
   * that has not delivered its whole content after this long. @default 60000
   */
  readTimeoutMs?: number;
}
