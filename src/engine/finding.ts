import type { Patch, References, Severity } from "../rules/rule";

/** A violation placed in its source, ready for reporters. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  /** `Deployment default/web`. */
  object: string;
  references: References;
  /** Present when the finding has an automatic fix. */
  fix?: Patch[];
  /** Index of the finding's object in the audited list (for --fix). */
  resourceIndex: number;
}

/** An object left out of the audit because no rule checks its kind (a custom resource, …). */
export interface NotAudited {
  apiVersion: string;
  kind: string;
}

/** A file that could not be read or understood. */
export interface InputError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}
