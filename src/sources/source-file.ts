import type { WorkloadKind } from "../adapters/kubernetes";
import type { Finding, InputError, NotAudited } from "../engine/finding";
import type { Resource } from "../model";

/** A file read into model objects, able to rewrite itself with fixes. */
export interface SourceFile {
  file: string;
  format: "kubernetes" | "compose" | "dockerfile" | "daemon-json";
  resources: Resource[];
  errors: InputError[];
  /** Objects left out because no rule checks their kind (Kubernetes custom resources, …). */
  notAudited?: NotAudited[];
  /**
   * The file's new text with the fixes of `findings` applied (findings of other files are
   * ignored), or `undefined` when none of them applies.
   */
  applyFixes?(findings: readonly Finding[], resourceOffset: number): string | undefined;
}

export interface LoadOptions {
  /**
   * Report Kubernetes objects of kinds no rule checks as errors instead of counting them as not
   * audited (`--strict-kinds`). @default false
   */
  strictKinds?: boolean;
  /** Kubernetes kinds that embed a pod template, beyond the built-in ones. @default [] */
  workloadKinds?: readonly WorkloadKind[];
  /**
   * Keep each file's text and its `applyFixes`, which `--fix` needs. A run that only reports
   * turns this off so that no file's text outlives its reading.
   * @default true
   */
  forFixing?: boolean;
  /**
   * Keep each file's text even when not fixing, for a report that quotes the lines of its
   * findings (`--format html`). @default false
   */
  keepText?: boolean;
  /**
   * Give up on a pipe or FIFO (named on the command line or reached through `extends.file`)
   * that has not delivered its whole content after this long. @default 60000
   */
  readTimeoutMs?: number;
}
